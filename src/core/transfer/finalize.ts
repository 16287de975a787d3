import { sleep } from './backoff';
import { errorDetail, hasErrnoCode, TransferError } from './errors';
import type { TransferFs } from './fileSystem';

/** Moves the verified temp file to its final name, retrying briefly while Windows holds it (EPERM/EBUSY). */
export async function renameIntoPlace(fs: TransferFs, from: string, to: string, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      if (attempt < attempts && hasErrnoCode(error, 'EPERM', 'EBUSY')) {
        await sleep(50 * 2 ** attempt);
        continue;
      }
      const code = (error as { code?: string }).code ?? errorDetail(error);
      throw new TransferError('rename-failed', `The download finished but could not be moved into place as ${to} (${code}).`, { cause: error });
    }
  }
}
