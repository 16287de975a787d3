// Loads a CommonJS file with V8's code cache kept beside it (Node 20 has no module.enableCompileCache).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

export interface CompiledModule {
  readonly exports: unknown;
  /** V8 accepted the cache: nothing was compiled from source but what the cache lacked. */
  readonly cacheUsed: boolean;
  /**
   * Writes the cache when it was missing or rejected; true when written. Best called as late as
   * possible (at exit): the cache then also holds the functions compiled since loading.
   */
  saveCache(): boolean;
}

/** `<file>.v8cache`: one line naming the file content and Node it belongs to, then V8's data. */
export function compileCachePath(filename: string): string {
  return `${filename}.v8cache`;
}

/**
 * Requires `filename` (a self-contained bundle: its own requires resolve from its folder) through
 * V8's code cache, which spares compiling it again on every start. V8 rejects a cache made by
 * another V8 or under other flags, so flags a process sets must be set before this. It would take a
 * cache made from other source of the same length, and run its code: the key line has the source's
 * hash (node:crypto, which the engine loads anyway).
 */
export function requireCompiled(filename: string): CompiledModule {
  // Node maps stack traces only of what its own loader compiled: with --enable-source-maps, plain require.
  if (process.sourceMapsEnabled) return { exports: createRequire(filename)(filename) as unknown, cacheUsed: false, saveCache: () => false };
  const bytes = readFileSync(filename);
  const key = `${createHash('sha1').update(bytes).digest('hex')} ${process.version} ${process.arch}\n`;
  const cacheFile = compileCachePath(filename);
  const cachedData = readCache(cacheFile, key);
  const script = new Script(wrap(bytes.toString('utf8')), { filename, cachedData });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run(module.exports, createRequire(filename), module, filename, path.dirname(filename));
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    cacheUsed,
    saveCache: () => !cacheUsed && writeCache(cacheFile, key, script.createCachedData()),
  };
}

function readCache(cacheFile: string, key: string): Buffer | undefined {
  try {
    const content = readFileSync(cacheFile);
    return content.subarray(0, key.length).toString('utf8') === key ? content.subarray(key.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Through a temp file and a rename, so a process starting meanwhile reads all of it or none. */
function writeCache(cacheFile: string, key: string, data: Buffer): boolean {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([Buffer.from(key, 'utf8'), data]));
    renameSync(temp, cacheFile);
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing to clean up, or nothing that can be.
    }
    return false;
  }
}
