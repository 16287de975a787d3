// Builds the extension bundle (dist/) or, with --tests, transpiles src/ and test/ file by file into out/
// plus out/download.js and out/download-main.js: the headless downloader, bundled (it starts ~10 ms
// sooner than from out/src).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const options = tests
  ? {
      entryPoints: [...tsFiles('src'), ...tsFiles('test')],
      outdir: 'out',
      outbase: '.',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    }
  : {
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      sourcemap: !production,
      minify: production,
      keepNames: true,
      legalComments: production ? 'none' : 'inline',
      logLevel: 'warning',
    };



if (!tests) rmSync('dist', { recursive: true, force: true });

// The downloader loads undici's Agent without the package index (see leanUndici.ts); the index is
// only imported lazily where no dispatcher was given, so it stays out of the bundle. Its Agent has
// HTTP/2 off (agent.ts), so undici's HTTP/2 client, which loads node:http2 (~5 MiB resident, ~4 ms),
// is replaced by a stub that would fail loudly if it were ever reached.
const leanUndiciBundle = {
  name: 'lean-undici-bundle',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, (args) => ({ path: args.path, external: true }));
    build.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) => ({ path: args.path, namespace: 'no-http2' }));
    build.onLoad({ filter: /.*/, namespace: 'no-http2' }, () => ({
      contents: "module.exports = function connectH2 () { throw new Error('HTTP/2 is off in the transfer engine') }",
      loader: 'js',
    }));
  },
};

// import() as require(): loading a CommonJS file through the ESM loader costs milliseconds at start-up.
const downloaderOptions = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', supported: { 'dynamic-import': false }, sourcemap: true, logLevel: 'warning' };
// Two files, so the small entry can send its size probe before Node compiles the engine (see cli.ts);
// the entry loads download-main.js by path, with V8's code cache.
const downloaderEntry = {
  ...downloaderOptions,
  entryPoints: ['src/core/transfer/cli.ts'],
  outfile: 'out/download.js',
};
const downloaderMain = {
  ...downloaderOptions,
  entryPoints: ['src/core/transfer/cliMain.ts'],
  outfile: 'out/download-main.js',
  plugins: [leanUndiciBundle],
};
const builds = tests ? [options, downloaderEntry, downloaderMain] : [options];

if (watch) {
  for (const build of builds) await (await esbuild.context(build)).watch();
  console.log(`[esbuild] watching ${tests ? 'tests' : 'extension'}…`);
} else {
  await Promise.all(builds.map((build) => esbuild.build(build)));
}
