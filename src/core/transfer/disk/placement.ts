import * as path from 'node:path';
import { delay } from '../../http/delay';
import { errorDetail, hasErrnoCode, TransferError } from '../errors';
import type { ConflictPolicy } from '../types';
import type { TransferFs } from './fileSystem';

export const MAX_NAME_BYTES = 255;
const MAX_EXTENSION_CHARS = 16;

export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_CHARS) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
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

/** True when `candidate` is `root` itself or lies beneath it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * Creates the target's parent folders and checks, with symlinks resolved, that the target is inside
 * `root`; an existing symlink at the target itself is refused as well.
 */
export async function prepareTargetInside(fs: TransferFs, root: string, target: string): Promise<void> {
  const resolvedRoot = path.resolve(root);
  if (target === resolvedRoot || !isInside(resolvedRoot, target)) {
    throw new TransferError('unsafe-path', `Refusing to write ${target}: it is outside ${resolvedRoot}.`);
  }
  await fs.mkdir(resolvedRoot);
  const realRoot = await fs.realpath(resolvedRoot);
  await fs.mkdir(path.dirname(target));
  const realParent = await fs.realpath(path.dirname(target));
  const realTarget = path.join(realParent, path.basename(target));
  if (!isInside(realRoot, realParent) || !isInside(realRoot, realTarget) || realTarget === realRoot) {
    throw new TransferError('unsafe-path', `Refusing to write ${target}: it resolves outside ${resolvedRoot}.`);
  }
  if (await fs.exists(target)) {
    const realExisting = await fs.realpath(target).catch(() => realTarget);
    if (!isInside(realRoot, realExisting)) throw new TransferError('unsafe-path', `Refusing to write ${target}: it links outside ${resolvedRoot}.`);
  }
}

/**
 * Where a download of `target` goes under `policy` (undefined: skip it). A numbered name for keepBoth
 * must also be claimed (`claim`: false when another download holds it), so two downloads never share
 * one temp file.
 */
export async function chooseTarget(fs: TransferFs, target: string, policy: ConflictPolicy, claim: (candidate: string) => Promise<boolean>): Promise<string | undefined> {
  if (policy === 'overwrite' || !(await fs.exists(target))) return target;
  if (policy === 'skip') return undefined;
  for (let n = 1; ; n++) {
    const candidate = path.join(path.dirname(target), numberedName(path.basename(target), n));
    if (!(await fs.exists(candidate)) && (await claim(candidate))) return candidate;
  }
}

/** Moves the verified temp file to its final name, retrying briefly while Windows holds it (EPERM/EBUSY). */
export async function renameIntoPlace(fs: TransferFs, from: string, to: string, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      if (attempt < attempts && hasErrnoCode(error, 'EPERM', 'EBUSY')) {
        await delay(50 * 2 ** attempt);
        continue;
      }
      const code = (error as { code?: string }).code ?? errorDetail(error);
      throw new TransferError('rename-failed', `The download finished but could not be moved into place as ${to} (${code}).`, { cause: error });
    }
  }
}
