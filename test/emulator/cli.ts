/**
 * npm run emulator -- --port 8787 [--host 127.0.0.1] [--storage-port N] [--latency MS] [--jitter MS] [--faults FILE]
 *                     [--token-ttl SECONDS] [--form seed|spec] [--lenient] [--switch NAME=VALUE]...
 *                     [--rate-limits | --no-rate-limits] [--hub-warnings] [--upload-dir DIR] [--verbose]
 * Prints base url, storage url, client id and client secret (one per line), then serves until SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { describeSwitches, resolveSwitches, SWITCHES, type Switches } from './choices';
import { startEmulator, type EmulatorOptions, type FaultSpec } from './index';

const USAGE = [
  'usage: cli.js [--host 127.0.0.1] [--port N] [--storage-port N] [--latency MS] [--jitter MS] [--faults FILE] [--token-ttl S]',
  '              [--form seed|spec] [--lenient] [--switch NAME=VALUE]... [--rate-limits | --no-rate-limits] [--hub-warnings] [--upload-dir DIR] [--verbose]',
].join('\n');
const SWITCH_HELP = ['switches (test/emulator/choices.ts):', ...describeSwitches().map((line) => `  ${line}`)].join('\n');

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): EmulatorOptions & { verbose: boolean } {
  const options: EmulatorOptions & { verbose: boolean } = { verbose: false };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) fail(`${flag} needs a non-negative number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--host': options.host = value(); break;
      case '--port': options.port = number(name, value()); break;
      case '--storage-port': options.storagePort = number(name, value()); break;
      case '--latency': options.latencyMs = number(name, value()); break;
      case '--jitter': options.jitterMs = number(name, value()); break;
      case '--token-ttl': options.tokenTtlSeconds = number(name, value()); break;
      case '--rate-limits': options.rateLimits = true; break;
      case '--no-rate-limits': options.rateLimits = false; break;
      case '--form': {
        const form = value();
        if (form !== 'seed' && form !== 'spec') fail('--form takes seed or spec');
        options.form = form;
        break;
      }
      case '--lenient': options.strictness = 'lenient'; break;
      case '--strict': options.strictness = 'strict'; break;
      case '--switch': {
        const text = value() ?? '';
        const eq = text.indexOf('=');
        const name = text.slice(0, eq);
        if (eq < 0 || !(name in SWITCHES)) fail(`--switch takes NAME=VALUE with NAME one of ${Object.keys(SWITCHES).join(', ')}`);
        const switches = { ...options.switches, [name]: text.slice(eq + 1) } as Partial<Switches>;
        try {
          resolveSwitches(undefined, undefined, switches);
        } catch (error) {
          fail((error as Error).message);
        }
        options.switches = switches;
        break;
      }
      case '--hub-warnings': options.hubWarnings = true; break;
      case '--upload-dir': {
        const dir = value();
        if (!dir) fail('--upload-dir needs a folder');
        options.uploadDir = dir;
        break;
      }
      case '--verbose': options.verbose = true; break;
      case '--faults': {
        const file = value();
        if (!file) fail('--faults needs a file');
        let parsed: unknown;
        try {
          parsed = JSON.parse(readFileSync(file, 'utf8'));
        } catch (error) {
          fail(`cannot read faults from ${file}: ${(error as Error).message}`);
        }
        options.faults = (Array.isArray(parsed) ? parsed : [parsed]) as FaultSpec[];
        break;
      }
      case '--help': case '-h':
        process.stdout.write(`${USAGE}\n${SWITCH_HELP}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const { verbose, ...options } = parseArgs(process.argv.slice(2));
  const emulator = await startEmulator({ ...options, ...(verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}) });
  // Ready for signals before anyone reads the lines below and may stop it.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (verbose) process.stderr.write(`${signal}: closing\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(
    [
      `base url: ${emulator.baseUrl}`,
      `storage url: ${emulator.storageUrl}`,
      `client id: ${emulator.seed.credentials.clientId}`,
      `client secret: ${emulator.seed.credentials.clientSecret}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`emulator failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
