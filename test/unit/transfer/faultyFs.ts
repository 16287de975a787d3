// A file-system seam that fails on purpose (tests run as root, where permissions alone stop nothing).
import { nodeFs, withWritev, type TransferFs } from '../../../src/core/transfer/disk/fileSystem';

export function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/**
 * `base` (nodeFs unless given) with some operations replaced (tests run as root: permissions alone
 * would not stop writes).
 */
export function fsWith(overrides: Partial<TransferFs> & { base?: TransferFs; failWriteAfterBytes?: { bytes: number; code: string } }): TransferFs {
  const { base = nodeFs, failWriteAfterBytes, ...rest } = overrides;
  let written = 0;
  const open: TransferFs['open'] = async (file, flags) => {
    const handle = await base.open(file, flags);
    if (!failWriteAfterBytes) return handle;
    return withWritev(handle, async (buffers, position) => {
      const length = buffers.reduce((sum, b) => sum + b.length, 0);
      if (written + length > failWriteAfterBytes.bytes) throw errno(failWriteAfterBytes.code);
      written += length;
      return handle.writev(buffers, position);
    });
  };
  return { ...base, open, ...rest };
}

export { withWritev };
