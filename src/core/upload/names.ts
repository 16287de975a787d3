// Names in an APS folder as APS compares them: ignoring case (the strict emulator does; which one APS uses is
// unconfirmed, and the stricter one never lets a conflict through), in Unicode NFC (macOS hands out NFD names).
import { numberedName } from '../transfer/disk/placement';

/** The name an upload gives a local file or folder in APS: NFC, as Windows and the web show names. */
export function remoteName(localName: string): string {
  return localName.normalize('NFC');
}

/** The key two names collide on in one folder. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** The key two paths of names (folders from a common place down) collide on. */
export function pathKey(names: readonly string[]): string {
  return names.map(nameKey).join('/');
}

/** The names taken in one folder, and the numbered names handed out for "keep both". */
export class FolderNames {
  private readonly taken = new Set<string>();

  constructor(names: Iterable<string> = []) {
    for (const name of names) this.add(name);
  }

  has(name: string): boolean {
    return this.taken.has(nameKey(name));
  }

  add(name: string): void {
    this.taken.add(nameKey(name));
  }

  /** `name (1).ext`, `name (2).ext`, …: the first one free in this folder, now taken. */
  claimNumbered(name: string): string {
    for (let n = 1; ; n++) {
      const candidate = numberedName(name, n);
      if (!this.has(candidate)) {
        this.add(candidate);
        return candidate;
      }
    }
  }
}

