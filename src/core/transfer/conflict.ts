import * as path from 'node:path';
import type { TransferFs } from './fileSystem';
import { MAX_NAME_BYTES, splitExtension } from './names';
import type { ConflictPolicy } from './types';

export interface ChosenTarget {
  readonly path: string;
  /** True when policy 'skip' found an existing file. */
  readonly skip: boolean;
}

/** `name.ext` → `name (n).ext`, trimming the stem when needed to stay within 255 bytes. */
export function numberedName(name: string, n: number): string {
  const { stem, extension } = splitExtension(name);
  const suffix = ` (${n})${extension}`;
  let keptStem = stem;
  while (Buffer.byteLength(keptStem + suffix, 'utf8') > MAX_NAME_BYTES && keptStem.length > 0) {
    keptStem = Array.from(keptStem).slice(0, -1).join('');
  }
  return keptStem + suffix;
}

/**
 * Where a download of `target` goes under `policy`. A numbered name for keepBoth must also be claimed
 * (`claim`: false when another download holds it), so two downloads never share one temp file.
 */
export async function chooseTarget(
  fs: TransferFs,
  target: string,
  policy: ConflictPolicy,
  claim: (candidate: string) => Promise<boolean> = async () => true,
): Promise<ChosenTarget> {
  if (policy === 'overwrite' || !(await fs.exists(target))) return { path: target, skip: false };
  if (policy === 'skip') return { path: target, skip: true };
  const folder = path.dirname(target);
  const name = path.basename(target);
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, numberedName(name, n));
    if (!(await fs.exists(candidate)) && (await claim(candidate))) return { path: candidate, skip: false };
  }
}
