// Headless downloader: `npm run download -- <url> <out-path> [options]`; progress goes to stderr.
// For a plain URL this first sends the size probe through Node's own http(s), then loads the engine
// (cliMain, bundled as download-main.js beside this file, with undici: 15-20 ms, 9-12 ms from V8's
// code cache), so the probe's round trip overlaps the loading instead of following it.
import * as path from 'node:path';
import { proxyOptions } from '../http/proxy';
import { parseCliArgs } from './cliArgs';
import type * as CliMain from './cliMain';
import { sendEarlyProbe, type EarlyProbe } from './sources/earlyProbe';
import { parseOssObjectUrl } from './sources/ossObjectUrl';

/** Only where the engine's own probe would go straight to the server (no proxy) for a plain URL. */
function earlyProbeFor(argv: readonly string[]): EarlyProbe | undefined {
  try {
    const { url } = parseCliArgs(argv);
    const parsed = new URL(url);
    const plain = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && !parseOssObjectUrl(url);
    return plain && !proxyOptions({}) ? sendEarlyProbe(parsed) : undefined;
  } catch {
    // Misuse and bad URLs are the engine's to report.
    return undefined;
  }
}

async function start(argv: readonly string[]): Promise<number> {
  const early = earlyProbeFor(argv);
  await early?.sent;
  // Loaded only now (node:crypto, node:vm, node:v8 with them: ~5 ms), so the probe leaves first.
  const { tuneProcessForDownloading } = await import('./memoryRelief.js');
  const { requireCompiled } = await import('./compileCache.js');
  tuneProcessForDownloading();
  const engine = requireCompiled(path.join(__dirname, 'download-main.js'));
  process.once('exit', () => engine.saveCache());
  const { main } = engine.exports as typeof CliMain;
  return main(argv, early?.answer);
}

start(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
