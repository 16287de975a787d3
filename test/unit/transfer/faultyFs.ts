// A file-system seam that fails on purpose (tests run as root, where permissions alone stop nothing).
import { nodeFs, type TransferFile, type TransferFs } from '../../../src/core/transfer/disk/fileSystem';

export function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** nodeFs with some operations replaced (tests run as root: permissions alone would not stop writes). */
export function fsWith(overrides: Partial<TransferFs> & { failWriteAfterBytes?: { bytes: number; code: string } }): TransferFs {
  const { failWriteAfterBytes, ...rest } = overrides;
  let written = 0;
  const open: TransferFs['open'] = async (file, flags) => {
    const handle = await nodeFs.open(file, flags);
    if (!failWriteAfterBytes) return handle;
    return withWritev(handle, async (buffers, position) => {
      const length = buffers.reduce((sum, b) => sum + b.length, 0);
      if (written + length > failWriteAfterBytes.bytes) throw errno(failWriteAfterBytes.code);
      written += length;
      return handle.writev(buffers, position);
    });
  };
  return { ...nodeFs, open, ...rest };
}

/** `handle` with its writes going through `writev` instead. */
export function withWritev(handle: TransferFile, writev: TransferFile['writev']): TransferFile {
  return {
    writev,
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    datasync: () => handle.datasync(),
    sync: () => handle.sync(),
    stat: () => handle.stat(),
    truncate: (length) => handle.truncate(length),
    close: () => handle.close(),
  };
}
