import type { TransferFile } from './fileSystem';

const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * sha1 (hex) of the first `size` bytes of the file, in one sequential pass over two reused buffers:
 * the next piece is read while the current one is hashed.
 */
export async function sha1OfFile(file: TransferFile, size: number, signal?: AbortSignal): Promise<string> {
  // Loaded here, not at start-up: node:crypto costs the download CLI ~2 ms before its first request.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha1');
  const length = Math.min(READ_BUFFER_BYTES, Math.max(1, size));
  const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
  const readInto = (buffer: Buffer, position: number) => file.read(buffer, 0, Math.min(buffer.length, size - position), position);
  let position = 0;
  let filling = 0;
  let reading = size > 0 ? readInto(buffers[filling], 0) : undefined;
  while (reading) {
    const { bytesRead } = await reading;
    if (bytesRead === 0) break;
    const piece = buffers[filling].subarray(0, bytesRead);
    position += bytesRead;
    signal?.throwIfAborted();
    filling ^= 1;
    reading = position < size ? readInto(buffers[filling], position) : undefined;
    hash.update(piece);
  }
  return hash.digest('hex');
}
