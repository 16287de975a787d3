// Server names made into local paths: safe on Windows, macOS and Linux, and always inside the chosen folder.
import * as path from 'node:path';
import { isInside, MAX_NAME_BYTES, numberedName, splitExtension, TransferError } from '../transfer';

// Windows device names are reserved whatever extension follows them ("CON.txt", "nul.tar.gz").
const RESERVED_BASE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Separators, characters Windows forbids, and C0/C1 control characters.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]/g;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Longest prefix of `text` (whole code points) that fits in `maxBytes` of UTF-8. */
function truncateUtf8(text: string, maxBytes: number): string {
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

/**
 * Makes one server-supplied name safe as a single path segment on Windows, macOS and Linux:
 * no separators or forbidden/control characters, no `.`/`..`, no reserved device name,
 * no trailing dots or spaces, NFC, at most 255 UTF-8 bytes with the extension kept.
 */
export function sanitizeFileName(raw: string, fallback = 'download'): string {
  let name = stripTrailingDotsAndSpaces(raw.normalize('NFC').replace(FORBIDDEN, '_'));
  if (name.trim() === '') name = fallback;
  if (RESERVED_BASE.test(name.split('.')[0].replace(/ +$/, ''))) name = `_${name}`;
  if (utf8Length(name) > MAX_NAME_BYTES) {
    const { stem, extension } = splitExtension(name);
    const keptStem = stripTrailingDotsAndSpaces(truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(extension)));
    name = stripTrailingDotsAndSpaces(keptStem === '' ? truncateUtf8(name, MAX_NAME_BYTES) : keptStem + extension) || fallback;
  }
  return name;
}

/**
 * The absolute path of server-supplied names below `root`, each sanitized; throws 'unsafe-path' when
 * the result would not be strictly inside the root.
 */
export function safeJoin(root: string, names: readonly string[]): string {
  if (names.length === 0) throw new TransferError('unsafe-path', 'No file name given.');
  const resolvedRoot = path.resolve(root);
  const target = path.resolve(resolvedRoot, ...names.map((name) => sanitizeFileName(name)));
  if (target === resolvedRoot || !isInside(resolvedRoot, target)) throw new TransferError('unsafe-path', `Refusing to write outside ${resolvedRoot}.`);
  return target;
}

/** `name`, or the first `name (n).ext` that `taken` does not refuse. */
function firstFree(name: string, taken: (candidate: string) => boolean): string {
  let candidate = name;
  for (let n = 1; taken(candidate); n++) candidate = numberedName(name, n);
  return candidate;
}

/** The target, renamed `name (n).ext` while another file of the same download already claimed it (case-insensitively). */
export function unclaimed(target: string, claimed: Set<string>): string {
  const folder = path.dirname(target);
  const chosen = path.join(folder, firstFree(path.basename(target), (candidate) => claimed.has(path.join(folder, candidate).toLowerCase())));
  claimed.add(chosen.toLowerCase());
  return chosen;
}

/**
 * One name in a folder, renamed `name (n).ext` while another entry of that folder already claimed it: names
 * that differ only in case are one file on Windows and macOS.
 */
export function unclaimedName(name: string, claimed: Set<string>): string {
  const chosen = firstFree(name, (candidate) => claimed.has(candidate.toLowerCase()));
  claimed.add(chosen.toLowerCase());
  return chosen;
}

/** `Tower.rvt` → `Tower.dwf`. */
export function withExtension(fileName: string, extension: string): string {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  return `${stem}.${extension}`;
}
