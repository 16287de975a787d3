// `aps-explorer`: the command line on the same core as the extension (bundled to dist/cli.js).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ApsClient } from '../core/client';
import { failureReason } from '../core/failureReason';
import { MirrorError, type PushConflictPolicy } from '../core/mirror';
import { RemoteNotFound } from '../core/remote/locate';
import { MIN_PART_BYTES } from '../core/oss/signedUpload';
import { DEFAULT_CONNECTIONS, MAX_CONNECTIONS, type ConflictPolicy } from '../core/transfer';
import type { ConflictChoice } from '../core/upload';
import { connect, ENVIRONMENT_HELP, SetupError } from './connect';
import { DOWNLOAD_HELP, runDownload, UsageError } from './download';
import { LS_HELP, runLs } from './ls';
import { runSearch, SEARCH_HELP, SearchRefused } from './search';
import { MIRROR_HELP, runMirrorCommand } from './mirror';
import { runPushCommand } from './push';
import { Output } from './output';
import { runUpload, UPLOAD_HELP } from './upload';

declare const CLI_VERSION: string;

const HELP = `Usage: aps-explorer <command> [arguments] [options]

Browse, download and upload Autodesk Platform Services (BIM 360, ACC, Fusion) data.

Commands:
  ls [<remote>]                      list hubs, projects, folders, files or versions
  download <remote> [<local-dir>]    download a file, a version or a folder (recursively)
  download <http(s)-url> <file>      download a plain URL
  search <remote> <text>             find files in a project or folder (APS folder search)
  mirror <remote> <local-dir>        keep a local copy of a folder or project in step
  mirror <local-dir> --push          push a mirror's local changes back into APS
  upload <local>... <remote>         upload files and folders into a folder, or a new version

Run "aps-explorer <command> --help" for a command's arguments and options.

${ENVIRONMENT_HELP}`;

const common = {
  'base-url': { type: 'string' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

const downloadOptions = {
  ...common,
  connections: { type: 'string' },
  'chunk-size': { type: 'string' },
  conflict: { type: 'string', default: 'overwrite' },
  'no-verify': { type: 'boolean', default: false },
  sha1: { type: 'string' },
} satisfies ParseArgsConfig['options'];

const mirrorOptions = {
  ...common,
  connections: { type: 'string' },
  conflict: { type: 'string' },
  delete: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  'no-verify': { type: 'boolean', default: false },
  push: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  yes: { type: 'boolean', short: 'y', default: false },
} satisfies ParseArgsConfig['options'];

type MirrorValues = ReturnType<typeof parseArgs<{ options: typeof mirrorOptions; allowPositionals: true }>>['values'];

const PUSH_CONFLICTS: Record<string, PushConflictPolicy> = { skip: 'skip', 'keep-both': 'keep-both', overwrite: 'overwrite' };

const CONFLICTS: Record<string, ConflictPolicy> = { overwrite: 'overwrite', skip: 'skip', 'keep-both': 'keepBoth' };

const uploadOptions = {
  ...common,
  connections: { type: 'string' },
  'part-size': { type: 'string' },
  conflict: { type: 'string', default: 'new-version' },
  'dry-run': { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

const UPLOAD_CONFLICTS: Record<string, ConflictChoice> = { 'new-version': 'new-version', 'keep-both': 'keep-both', skip: 'skip' };

/** Runs one command line (without node and the script) and resolves to the exit status. */
export async function main(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined) {
    process.stderr.write(`${HELP}\n`);
    return 2;
  }
  if (verb === '--help' || verb === '-h' || verb === 'help') return help(helpFor(rest[0]) ?? HELP);
  if (verb === '--version') {
    process.stdout.write(`${CLI_VERSION}\n`);
    return 0;
  }
  let output = new Output({ json: false, quiet: false });
  try {
    if (verb === 'ls') {
      const { values, positionals } = parseArgs({ args: [...rest], options: common, allowPositionals: true });
      if (values.help) return help(LS_HELP);
      if (positionals.length > 1) throw new UsageError('ls takes one <remote>.');
      output = new Output({ json: values.json, quiet: values.quiet });
      const client = connect(values['base-url']);
      try {
        await runLs(client, positionals[0], output, signal);
      } finally {
        void client.close();
      }
      return 0;
    }
    if (verb === 'search') {
      const { values, positionals } = parseArgs({ args: [...rest], options: { ...common, type: { type: 'string' } }, allowPositionals: true });
      if (values.help) return help(SEARCH_HELP);
      if (positionals.length !== 2) throw new UsageError('search takes a <remote> (a project or folder) and the <text> to find.');
      output = new Output({ json: values.json, quiet: values.quiet });
      const client = connect(values['base-url']);
      try {
        await runSearch(client, { remote: positionals[0], text: positionals[1], types: values.type }, output, signal);
      } finally {
        void client.close();
      }
      return 0;
    }
    if (verb === 'download') {
      const { values, positionals } = parseArgs({ args: [...rest], options: downloadOptions, allowPositionals: true });
      if (values.help) return help(DOWNLOAD_HELP);
      if (positionals.length < 1 || positionals.length > 2) throw new UsageError('download takes a <remote> or URL, and where to put it.');
      const conflict = CONFLICTS[values.conflict];
      if (!conflict) throw new UsageError('--conflict is overwrite, skip or keep-both.');
      if (values.sha1 !== undefined && !/^[0-9a-f]{40}$/i.test(values.sha1)) throw new UsageError('--sha1 takes 40 hex digits.');
      output = new Output({ json: values.json, quiet: values.quiet });
      let client: ApsClient | undefined;
      try {
        const args = {
          source: positionals[0],
          destination: positionals[1],
          connections: values.connections === undefined ? undefined : connections(values.connections),
          chunkSize: values['chunk-size'] === undefined ? undefined : parseBytes(values['chunk-size']),
          conflict,
          verify: !values['no-verify'],
          sha1: values.sha1,
        };
        return await runDownload(args, output, signal, () => (client ??= connect(values['base-url'])));
      } finally {
        void client?.close();
      }
    }
    if (verb === 'mirror') {
      const { values, positionals } = parseArgs({ args: [...rest], options: mirrorOptions, allowPositionals: true });
      if (values.help) return help(MIRROR_HELP);
      if (values.push) return await push(values, positionals);
      if (values['dry-run'] || values.yes) throw new UsageError('--dry-run and --yes go with --push.');
      if (positionals.length !== 2) throw new UsageError('mirror takes a <remote> and the <local-dir> that mirrors it (or, with --push, the <local-dir> alone).');
      const conflict = CONFLICTS[values.conflict ?? 'keep-both'];
      if (!conflict) throw new UsageError('--conflict is keep-both, skip or overwrite.');
      output = new Output({ json: values.json, quiet: values.quiet });
      const client = connect(values['base-url']);
      try {
        const args = {
          remote: positionals[0],
          destination: positionals[1],
          delete: values.delete,
          force: values.force,
          conflict,
          connections: values.connections === undefined ? undefined : connections(values.connections),
          verify: !values['no-verify'],
        };
        return await runMirrorCommand(args, output, signal, () => client);
      } finally {
        void client.close();
      }
    }
    if (verb === 'upload') {
      const { values, positionals } = parseArgs({ args: [...rest], options: uploadOptions, allowPositionals: true });
      if (values.help) return help(UPLOAD_HELP);
      if (positionals.length < 2) throw new UsageError('upload takes one or more local files or folders, then the <remote> folder (or file) they go to.');
      const conflict = UPLOAD_CONFLICTS[values.conflict];
      if (!conflict) throw new UsageError('--conflict is new-version, keep-both or skip.');
      const partSize = values['part-size'] === undefined ? undefined : parseBytes(values['part-size']);
      if (partSize !== undefined && partSize < MIN_PART_BYTES) throw new UsageError('--part-size is at least 5M (parts but the last must be 5 MiB or more).');
      output = new Output({ json: values.json, quiet: values.quiet });
      let client: ApsClient | undefined;
      try {
        const args = {
          sources: positionals.slice(0, -1),
          remote: positionals.at(-1) as string,
          conflict,
          connections: values.connections === undefined ? undefined : connections(values.connections),
          partSize,
          dryRun: values['dry-run'],
        };
        return await runUpload(args, output, signal, () => (client ??= connect(values['base-url'])));
      } finally {
        void client?.close();
      }
    }
    throw new UsageError(`Unknown command "${verb}".`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      output.problem(`aps-explorer: ${(error as Error).message}\nRun "aps-explorer ${verb} --help" for usage.`);
      return 2;
    }
    if (signal.aborted) {
      output.problem('Stopped.');
      return 130;
    }
    output.problem(`aps-explorer: ${error instanceof SetupError || error instanceof RemoteNotFound || error instanceof SearchRefused || error instanceof MirrorError ? error.message : failureReason(error)}`);
    return 1;
  }

  /** `mirror <local-dir> --push`: the mirror record names the remote, so the folder is the one argument. */
  async function push(values: MirrorValues, positionals: readonly string[]): Promise<number> {
    if (positionals.length !== 1) throw new UsageError('mirror --push takes the <local-dir> of a mirror alone: its record names the APS folder the changes go to.');
    if (values.delete || values.force || values['no-verify']) throw new UsageError('--delete, --force and --no-verify are for mirroring from APS, not for --push.');
    const conflict = PUSH_CONFLICTS[values.conflict ?? 'skip'];
    if (!conflict) throw new UsageError('--conflict with --push is skip, keep-both or overwrite.');
    output = new Output({ json: values.json, quiet: values.quiet });
    let client: ApsClient | undefined;
    try {
      const args = { destination: positionals[0], conflict, connections: values.connections === undefined ? undefined : connections(values.connections), dryRun: values['dry-run'], yes: values.yes };
      return await runPushCommand(args, output, signal, () => (client ??= connect(values['base-url'])));
    } finally {
      void client?.close();
    }
  }
}

function help(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function helpFor(verb: string | undefined): string | undefined {
  return verb === 'ls' ? LS_HELP : verb === 'download' ? DOWNLOAD_HELP : verb === 'search' ? SEARCH_HELP : verb === 'mirror' ? MIRROR_HELP : verb === 'upload' ? UPLOAD_HELP : undefined;
}

function connections(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONNECTIONS) throw new UsageError(`--connections takes a whole number from 1 to ${MAX_CONNECTIONS} (default ${DEFAULT_CONNECTIONS}).`);
  return n;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "8M", "256K", "1G", "1048576" (binary units). */
export function parseBytes(text: string): number {
  const match = /^(\d+)\s*([kmg]?)i?b?$/i.exec(text.trim());
  const bytes = match ? Number(match[1]) * UNITS[match[2].toLowerCase()] : NaN;
  if (!(bytes >= 1)) throw new UsageError(`Not a size: ${text} (e.g. 8M, 256K).`);
  return bytes;
}

/** The process: Ctrl-C cancels (a second one exits at once), the exit status is main's. */
export function run(): void {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.on('error', () => undefined);
  main(process.argv.slice(2), controller.signal).then(exitWhenWritten, (error: unknown) => {
    process.stderr.write(`aps-explorer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitWhenWritten(1);
  });
}

/** Exits once stdout and stderr took everything written to them (pipes may be asynchronous). */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const done = () => --pending === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (require.main === module) run();
