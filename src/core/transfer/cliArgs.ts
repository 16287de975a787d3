export interface CliArgs {
  readonly url: string;
  readonly outPath: string;
  readonly connections?: number;
  readonly chunkSize?: number;
  readonly singleRequestThreshold?: number;
  readonly verify: boolean;
  readonly sha1?: string;
  readonly quiet: boolean;
  /** Print a JSON summary (incl. peak RSS) to stdout when done. */
  readonly reportJson: boolean;
}

export const USAGE =
  'usage: download <url> <out-path> [--connections N] [--chunk-size BYTES] [--threshold BYTES] [--no-verify] [--sha1 HEX] [--quiet] [--report-json]\n' +
  '  <url>: a plain http(s) URL, or an OSS object URL (<api>/oss/v2/buckets/<bucket>/objects/<key>[/signeds3download];\n' +
  '         the bearer token comes from APS_ACCESS_TOKEN). BYTES accepts K, M and G suffixes (binary).';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

export function parseBytes(text: string): number {
  const match = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  if (!match) throw new Error(`not a byte count: ${text}`);
  return Number(match[1]) * UNITS[match[2].toLowerCase()];
}

/** Parses the command line (without node and script); throws with a message on misuse. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const positional: string[] = [];
  const options: { -readonly [K in keyof CliArgs]?: CliArgs[K] } = { verify: true, quiet: false, reportJson: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    switch (arg) {
      case '--connections': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 16) throw new Error('--connections must be an integer from 1 to 16');
        options.connections = n;
        break;
      }
      case '--chunk-size':
        options.chunkSize = parseBytes(value());
        if (options.chunkSize < 1) throw new Error('--chunk-size must be positive');
        break;
      case '--threshold':
        options.singleRequestThreshold = parseBytes(value());
        break;
      case '--no-verify':
        options.verify = false;
        break;
      case '--sha1':
        options.sha1 = value().toLowerCase();
        if (!/^[0-9a-f]{40}$/.test(options.sha1)) throw new Error('--sha1 must be 40 hex digits');
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--report-json':
        options.reportJson = true;
        break;
      default:
        if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 2) throw new Error('expected <url> and <out-path>');
  return { ...options, url: positional[0], outPath: positional[1] } as CliArgs;
}
