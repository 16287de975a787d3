import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';
import { compileCachePath } from '../../../src/core/transfer/compileCache';

interface Loaded {
  readonly answer: number;
  readonly file: string;
  readonly cacheUsed: boolean;
  /** What saveCache returned, when it was called. */
  readonly saved?: boolean;
}

const COMPILE_CACHE_JS = path.resolve(__dirname, '../../../src/core/transfer/compileCache.js');

/**
 * What `script` prints as JSON, run in a fresh process after `compiled` = requireCompiled(bundle): V8
 * would otherwise find the script in its own in-memory cache.
 */
function inFreshProcess<T>(bundle: string, script: string, nodeOptions: string[] = []): T {
  const load = `const compiled = require(${JSON.stringify(COMPILE_CACHE_JS)}).requireCompiled(${JSON.stringify(bundle)});\n`;
  return JSON.parse(execFileSync(process.execPath, [...nodeOptions, '-e', load + script], { encoding: 'utf8' })) as T;
}

function load(bundle: string, save = true, nodeOptions: string[] = []): Loaded {
  const script = `
    const saved = ${save} ? compiled.saveCache() : undefined;
    console.log(JSON.stringify({ answer: compiled.exports.answer(), file: compiled.exports.file, cacheUsed: compiled.cacheUsed, saved }));`;
  return inFreshProcess<Loaded>(bundle, script, nodeOptions);
}

describe('transfer: V8 code cache for the CLI engine bundle', () => {
  let dir: string;
  let bundle: string;

  /** A bundle whose answer comes from a sibling file, as download-main.js requires undici's parts. */
  const writeBundle = (answer: string, modifiedSeconds: number): void => {
    writeFileSync(bundle, `const { twice } = require('./helper.js');\nmodule.exports = { answer: () => twice(${answer}), file: __filename };\n`);
    utimesSync(bundle, modifiedSeconds, modifiedSeconds);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aps-compile-cache-'));
    bundle = path.join(dir, 'bundle.js');
    writeFileSync(path.join(dir, 'helper.js'), 'exports.twice = (n) => 2 * n;\n');
    writeBundle('21', 1_700_000_000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles from source and saves the cache, then loads through it', () => {
    const first = load(bundle, false);
    assert.deepEqual(first, { answer: 42, file: bundle, cacheUsed: false });
    assert.equal(existsSync(compileCachePath(bundle)), false, 'nothing is written before saveCache');
    assert.equal(load(bundle).saved, true);
    assert.deepEqual(load(bundle), { answer: 42, file: bundle, cacheUsed: true, saved: false }, 'an accepted cache is not written again');
    assert.deepEqual(readdirSync(dir).sort(), ['bundle.js', 'bundle.js.v8cache', 'helper.js']);
  });

  it('does not use the cache of another version of the file, even one of the same length and time', () => {
    load(bundle);
    writeBundle('12', 1_700_000_000);
    assert.deepEqual(load(bundle), { answer: 24, file: bundle, cacheUsed: false, saved: true });
    assert.equal(load(bundle).cacheUsed, true);
  });

  it('compiles from source when V8 rejects the cached data, and replaces it', () => {
    load(bundle);
    const cache = readFileSync(compileCachePath(bundle));
    const keyLength = cache.indexOf(0x0a) + 1;
    writeFileSync(compileCachePath(bundle), Buffer.concat([cache.subarray(0, keyLength), Buffer.alloc(cache.length - keyLength, 0x5a)]));
    assert.deepEqual(load(bundle), { answer: 42, file: bundle, cacheUsed: false, saved: true });
    assert.equal(load(bundle).cacheUsed, true);
  });

  it("leaves a process with --enable-source-maps to Node's own loader, which maps its stack traces", () => {
    const source = 'export function fail(): never {\n  throw new Error("mapped");\n}\n';
    const built = transformSync(source, { loader: 'ts', format: 'cjs', sourcemap: 'inline', sourcefile: path.join(dir, 'failing.ts') });
    writeFileSync(path.join(dir, 'failing.js'), built.code);
    const script = `try { compiled.exports.fail(); } catch (error) { console.log(JSON.stringify({ at: error.stack.split('\\n')[1].trim(), saved: compiled.saveCache() })); }`;
    const mapped = inFreshProcess<{ at: string; saved: boolean }>(path.join(dir, 'failing.js'), script, ['--enable-source-maps']);
    assert.match(mapped.at, /failing\.ts:2:/);
    assert.equal(mapped.saved, false);
    assert.deepEqual(load(bundle, true, ['--enable-source-maps']), { answer: 42, file: bundle, cacheUsed: false, saved: false });
    assert.equal(existsSync(compileCachePath(bundle)), false);
  });

  it('still loads where the cache cannot be written, and leaves no temp file', () => {
    mkdirSync(compileCachePath(bundle));
    writeFileSync(path.join(compileCachePath(bundle), 'keep'), '');
    assert.deepEqual(load(bundle), { answer: 42, file: bundle, cacheUsed: false, saved: false });
    assert.deepEqual(readdirSync(dir).sort(), ['bundle.js', 'bundle.js.v8cache', 'helper.js']);
  });
});
