import * as path from 'node:path';
import { TransferError } from './errors';
import type { TransferFs } from './fileSystem';

export const MAX_NAME_BYTES = 255;

// Windows device names are reserved whatever extension follows them ("CON.txt", "nul.tar.gz").
const RESERVED_BASE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Separators, characters Windows forbids, and C0/C1 control characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]/g;
const MAX_EXTENSION_CHARS = 16;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Longest prefix of `text` (whole code points) that fits in `maxBytes` of UTF-8. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Length(text) <= maxBytes) return text;
  let result = '';
  let bytes = 0;
  for (const codePoint of text) {
    const size = utf8Length(codePoint);
    if (bytes + size > maxBytes) break;
    result += codePoint;
    bytes += size;
  }
  return result;
}

function stripTrailingDotsAndSpaces(text: string): string {
  return text.replace(/[. ]+$/, '');
}

export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_CHARS) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

/**
 * Makes one server-supplied name safe as a single path segment on Windows, macOS and Linux:
 * no separators or forbidden/control characters, no `.`/`..`, no reserved device name,
 * no trailing dots or spaces, NFC, at most 255 UTF-8 bytes with the extension kept.
 */
export function sanitizeFileName(raw: string, fallback = 'download'): string {
  let name = raw.normalize('NFC').replace(FORBIDDEN, '_');
  name = stripTrailingDotsAndSpaces(name);
  if (name.trim() === '') name = fallback;
  const base = name.split('.')[0].replace(/ +$/, '');
  if (RESERVED_BASE.test(base)) name = `_${name}`;
  if (utf8Length(name) > MAX_NAME_BYTES) {
    const { stem, extension } = splitExtension(name);
    const keptStem = stripTrailingDotsAndSpaces(truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(extension)));
    name = keptStem === '' ? truncateUtf8(name, MAX_NAME_BYTES) : keptStem + extension;
    name = stripTrailingDotsAndSpaces(name) || fallback;
  }
  return name;
}

/** True when `candidate` is `root` itself or lies beneath it (both absolute, already resolved). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * Joins server-supplied path segments under `root`, sanitizing each one; throws 'unsafe-path' when
 * the result would not be strictly inside the root.
 */
export function safeJoin(root: string, segments: readonly string[]): string {
  if (segments.length === 0) throw new TransferError('unsafe-path', 'No file name given.');
  const resolvedRoot = path.resolve(root);
  const target = path.resolve(resolvedRoot, ...segments.map((segment) => sanitizeFileName(segment)));
  if (target === resolvedRoot || !isInside(resolvedRoot, target)) {
    throw new TransferError('unsafe-path', `Refusing to write outside ${resolvedRoot}.`);
  }
  return target;
}

/**
 * Creates the target's parent folders and checks, with symlinks resolved, that the target is inside
 * `root`; an existing symlink at the target itself is refused as well.
 */
export async function prepareTargetInside(fs: TransferFs, root: string, target: string): Promise<void> {
  const resolvedRoot = path.resolve(root);
  const resolvedTarget = path.resolve(target);
  if (resolvedTarget === resolvedRoot || !isInside(resolvedRoot, resolvedTarget)) {
    throw new TransferError('unsafe-path', `Refusing to write ${resolvedTarget}: it is outside ${resolvedRoot}.`);
  }
  await fs.mkdir(resolvedRoot);
  const realRoot = await fs.realpath(resolvedRoot);
  await fs.mkdir(path.dirname(resolvedTarget));
  const realParent = await fs.realpath(path.dirname(resolvedTarget));
  const realTarget = path.join(realParent, path.basename(resolvedTarget));
  if (!isInside(realRoot, realParent) || !isInside(realRoot, realTarget) || realTarget === realRoot) {
    throw new TransferError('unsafe-path', `Refusing to write ${resolvedTarget}: it resolves outside ${resolvedRoot}.`);
  }
  if (await fs.exists(resolvedTarget)) {
    const realExisting = await fs.realpath(resolvedTarget).catch(() => realTarget);
    if (!isInside(realRoot, realExisting)) {
      throw new TransferError('unsafe-path', `Refusing to write ${resolvedTarget}: it links outside ${resolvedRoot}.`);
    }
  }
}
