// Builds the extension bundle (dist/) or, with --tests, transpiles src/ and test/ file by file into out/.
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

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log(`[esbuild] watching ${tests ? 'tests' : 'extension'}…`);
} else {
  await esbuild.build(options);
}
