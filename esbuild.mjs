// Builds the extension (dist/extension.js) and the command line (dist/cli.js); with --cli the command
// line alone; with --tests the command line and src/ and test/ transpiled file by file into out/.
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');
const cliOnly = args.has('--cli');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const bundle = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: !production, minify: production, keepNames: true, logLevel: 'warning' };

const extension = {
  ...bundle,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  legalComments: production ? 'none' : 'inline',
};

const cli = {
  ...bundle,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  define: { CLI_VERSION: JSON.stringify(version) },
  legalComments: 'none',
};

const transpiled = {
  entryPoints: [...tsFiles('src'), ...tsFiles('test')],
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  define: { CLI_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};

// A fresh out/ for the tests, so no test of a removed file lingers there.
rmSync(tests ? 'out' : cliOnly ? 'dist/cli.js' : 'dist', { recursive: true, force: true });
const builds = tests ? [transpiled, cli] : cliOnly ? [cli] : [extension, cli];

if (watch) {
  for (const build of builds) await (await esbuild.context(build)).watch();
  console.log(`[esbuild] watching ${tests ? 'tests' : cliOnly ? 'the CLI' : 'extension and CLI'}…`);
} else {
  await Promise.all(builds.map((build) => esbuild.build(build)));
}
