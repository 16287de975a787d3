import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { MAX_NAME_BYTES } from './placement';

const PART_SUFFIX = '.apspart';
const JOURNAL_SUFFIX = '.apspart.json';
const LOCK_SUFFIX = '.apspart.lock';
// Room for the journal's own temp suffix (".tmp") during its atomic rewrite.
const RESERVED_BYTES = Buffer.byteLength(JOURNAL_SUFFIX + '.tmp', 'utf8');

/** Whether a file name is a download's temp file, journal (or the journal's temp copy) or lock. */
export function isPartFileName(name: string): boolean {
  return /\.apspart(\.json(\.tmp)?|\.lock)?$/.test(name);
}

export interface PartFiles {
  /** Temp file the bytes are written into, beside the target. */
  readonly data: string;
  readonly journal: string;
  /** Held by the one download that owns the other two (see PartLock). */
  readonly lock: string;
}

/** Temp and journal paths for a target, shortened (with a hash) when the name is near the 255-byte limit. */
export function partFilesFor(target: string): PartFiles {
  const folder = path.dirname(target);
  const name = path.basename(target);
  let stem = name;
  if (Buffer.byteLength(name, 'utf8') + RESERVED_BYTES > MAX_NAME_BYTES) {
    const hash = createHash('sha1').update(name).digest('hex').slice(0, 10);
    let kept = '';
    for (const codePoint of name) {
      if (Buffer.byteLength(kept + codePoint, 'utf8') + RESERVED_BYTES + 11 > MAX_NAME_BYTES) break;
      kept += codePoint;
    }
    stem = `${kept}~${hash}`;
  }
  return { data: path.join(folder, stem + PART_SUFFIX), journal: path.join(folder, stem + JOURNAL_SUFFIX), lock: path.join(folder, stem + LOCK_SUFFIX) };
}
