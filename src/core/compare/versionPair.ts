// Two versions to compare: the same file, older on the left, each with a file of its own.
import type { Version } from '../dm/models';

export type PairProblem =
  | { kind: 'different-items' }
  | { kind: 'same-version' }
  /** A sheet (or another version without storage) has no bytes to compare. */
  | { kind: 'no-storage'; version: Version };

/** Older first (by version number, then by creation time). */
export function orderPair(a: Version, b: Version): [Version, Version] {
  const rank = (version: Version) => [version.versionNumber ?? 0, Date.parse(version.createTime ?? '') || 0];
  const [an, at] = rank(a);
  const [bn, bt] = rank(b);
  return an < bn || (an === bn && at <= bt) ? [a, b] : [b, a];
}

export function pairProblem(a: Version, b: Version): PairProblem | undefined {
  if (a.itemId && b.itemId && a.itemId !== b.itemId) return { kind: 'different-items' };
  if (a.id === b.id) return { kind: 'same-version' };
  const bare = [a, b].find((version) => !version.storage);
  return bare ? { kind: 'no-storage', version: bare } : undefined;
}

/** The version just before `version` among `versions` (any order), if there is one. */
export function previousVersion(versions: readonly Version[], version: Version): Version | undefined {
  const number = version.versionNumber ?? 0;
  return versions
    .filter((candidate) => (candidate.versionNumber ?? 0) < number)
    .sort((a, b) => (b.versionNumber ?? 0) - (a.versionNumber ?? 0))[0];
}

/** "Door Schedule (v2).csv": a name that keeps two versions of one file apart on disk. */
export function versionedFileName(name: string, versionNumber: number | undefined): string {
  const tag = `(v${versionNumber ?? '?'})`;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} ${tag}${name.slice(dot)}` : `${name} ${tag}`;
}
