// `npm run bench`: runs every *.bench.js beside this file (or those named on the command line), one after another.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Benchmark {
  run(): Promise<void>;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.bench.js'))
    .filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${wanted.join(', ') || '*.bench.js'}`);
  for (const file of files) {
    console.log(`\n=== ${file.replace(/\.bench\.js$/, '')} ===`);
    const bench = (await import(join(__dirname, file))) as Benchmark;
    await bench.run();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
