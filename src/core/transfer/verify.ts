import type { TransferFile } from './fileSystem';

const READ_BUFFER_BYTES = 1024 * 1024;

/** sha1 (hex) of the first `size` bytes of the file, in one sequential pass with one reused buffer. */
export async function sha1OfFile(file: TransferFile, size: number, signal?: AbortSignal): Promise<string> {
  // Loaded here, not at start-up: node:crypto costs the download CLI ~2 ms before its first request.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha1');
  const buffer = Buffer.allocUnsafe(Math.min(READ_BUFFER_BYTES, Math.max(1, size)));
  let position = 0;
  while (position < size) {
    signal?.throwIfAborted();
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, size - position), position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}
