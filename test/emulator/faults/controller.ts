import type { ActiveFault, FaultController, FaultKind, FaultOrigin, FaultSpec } from './spec';

const KINDS: readonly FaultKind[] = [
  'latency', 'hold', 'bandwidth', 'status', 'reset', 'truncate', 'stall', 'ignoreRange', 'wrongContentRange', 'replaceObject', 'expireSignedUrl', 'failJob', 'failExport', 'loseAnswer',
];
const STORAGE_ONLY: readonly FaultKind[] = ['bandwidth', 'truncate', 'ignoreRange', 'wrongContentRange', 'replaceObject', 'expireSignedUrl'];
const API_ONLY: readonly FaultKind[] = ['failJob', 'failExport', 'loseAnswer'];

export interface FaultContext {
  origin: FaultOrigin;
  method: string;
  /** Raw path (percent-encoded). */
  path: string;
}

export class FaultSpecError extends Error {}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '.';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function pathMatcher(pattern: string): (path: string) => boolean {
  if (pattern.startsWith('^')) {
    const regex = new RegExp(pattern);
    return (path) => regex.test(path);
  }
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) {
    const regex = new RegExp(pattern.slice(1, -1));
    return (path) => regex.test(path);
  }
  const regex = globToRegExp(pattern);
  return (path) => regex.test(path);
}

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function validateFaultSpec(spec: unknown): FaultSpec {
  if (!spec || typeof spec !== 'object') throw new FaultSpecError('a fault must be a JSON object');
  const fault = spec as FaultSpec;
  if (!KINDS.includes(fault.kind)) throw new FaultSpecError(`unknown fault kind ${JSON.stringify(fault.kind)}; one of ${KINDS.join(', ')}`);
  if (fault.origin !== undefined && fault.origin !== 'api' && fault.origin !== 'storage') throw new FaultSpecError('origin must be "api" or "storage"');
  if (fault.origin === 'api' && STORAGE_ONLY.includes(fault.kind)) throw new FaultSpecError(`${fault.kind} applies to the storage origin only`);
  if (fault.origin === 'storage' && API_ONLY.includes(fault.kind)) throw new FaultSpecError(`${fault.kind} applies to the api origin only`);
  if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) throw new FaultSpecError('probability must be within [0, 1]');
  if (fault.count !== undefined && !(Number.isInteger(fault.count) && fault.count > 0)) throw new FaultSpecError('count must be a positive integer');
  if (fault.skip !== undefined && !(Number.isInteger(fault.skip) && fault.skip >= 0)) throw new FaultSpecError('skip must be a non-negative integer');
  if (fault.kind === 'status' && !(Number.isInteger(fault.status) && (fault.status as number) >= 100 && (fault.status as number) <= 599)) {
    throw new FaultSpecError('a status fault needs status (100-599)');
  }
  if (fault.kind === 'bandwidth' && !((fault.bytesPerSecond ?? 0) > 0)) throw new FaultSpecError('a bandwidth fault needs bytesPerSecond > 0');
  if (fault.path !== undefined) {
    try {
      pathMatcher(fault.path);
    } catch (error) {
      throw new FaultSpecError(`bad path pattern: ${(error as Error).message}`);
    }
  }
  return fault;
}

interface Entry {
  fault: ActiveFault;
  toSkip: number;
  remaining: number;
  matches: (path: string) => boolean;
}

export class Faults implements FaultController {
  private readonly entries: Entry[] = [];
  /** The gates of hold faults, opened when the fault is removed or cleared (not when its count runs out). */
  private readonly holds = new Map<string, { opened: Promise<void>; open: () => void }>();
  private nextId = 1;

  constructor(private readonly random: () => number) {}

  add(spec: FaultSpec): string {
    const valid = validateFaultSpec(spec);
    const id = `fault-${this.nextId++}`;
    const matcher = valid.path === undefined ? () => true : pathMatcher(valid.path);
    this.entries.push({
      fault: { ...valid, id, hits: 0 },
      toSkip: valid.skip ?? 0,
      remaining: valid.count ?? Infinity,
      matches: (path) => matcher(path) || matcher(decodedPath(path)),
    });
    if (valid.kind === 'hold') {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.holds.set(id, { opened, open });
    }
    return id;
  }

  remove(id: string): boolean {
    const held = this.holds.get(id);
    this.holds.delete(id);
    held?.open();
    const index = this.entries.findIndex((entry) => entry.fault.id === id);
    if (index < 0) return held !== undefined;
    this.entries.splice(index, 1);
    return true;
  }

  clear(): void {
    this.entries.length = 0;
    for (const held of this.holds.values()) held.open();
    this.holds.clear();
  }

  /** Resolves when the hold fault `id` is removed (at once for an unknown id). */
  released(id: string): Promise<void> {
    return this.holds.get(id)?.opened ?? Promise.resolve();
  }

  list(): ActiveFault[] {
    return this.entries.map((entry) => ({ ...entry.fault }));
  }

  /** The first active fault of this kind that matches and wins its probability draw; counts it as applied. */
  take(kind: FaultKind, context: FaultContext): ActiveFault | undefined {
    for (const entry of this.entries) {
      const fault = entry.fault;
      if (fault.kind !== kind) continue;
      if (fault.origin !== undefined && fault.origin !== context.origin) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== context.method.toUpperCase()) continue;
      if (!entry.matches(context.path)) continue;
      if (entry.toSkip > 0) {
        entry.toSkip--;
        continue;
      }
      if (fault.probability !== undefined && !(this.random() < fault.probability)) continue;
      fault.hits++;
      entry.remaining--;
      if (entry.remaining <= 0) this.entries.splice(this.entries.indexOf(entry), 1);
      return { ...fault };
    }
    return undefined;
  }
}
