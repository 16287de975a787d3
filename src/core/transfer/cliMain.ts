// The headless downloader itself (cli.ts loads it): progress goes to stderr, a JSON report to stdout.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { redactUrl } from '../http/redact';
import { parseCliArgs, USAGE, type CliArgs } from './cliArgs';
import { TransferEngine } from './engine';
import { errorDetail, TransferError } from './errors';
import { inlineWritesFs } from './fileSystem';
import { sanitizeFileName } from './names';
import { MIB } from './settings';
import { progressLine } from './progressText';
import { fileNameFromUrl } from './sources/contentDisposition';
import type { ProbeAnswer } from './sources/earlyProbe';
import { signedDownloadFetcher } from './sources/ossHttp';
import { parseOssObjectUrl } from './sources/ossObjectUrl';
import { ossObjectSource } from './sources/ossSource';
import { urlSource } from './sources/urlSource';
import type { FileProgress, ObjectSource } from './types';

function sourceFor(args: CliArgs, engine: TransferEngine, earlyProbe: Promise<ProbeAnswer | undefined> | undefined): { source: ObjectSource; name: string } {
  const oss = parseOssObjectUrl(args.url);
  if (oss) {
    const fetcher = signedDownloadFetcher(engine.dispatcher, oss.apiBaseUrl, oss.bucketKey, oss.objectKey, () => process.env.APS_ACCESS_TOKEN);
    return { source: ossObjectSource(oss.bucketKey, oss.objectKey, fetcher), name: oss.objectKey };
  }
  return { source: urlSource(args.url, { dispatcher: engine.dispatcher, sha1: args.sha1, earlyProbe }), name: fileNameFromUrl(args.url) ?? 'download' };
}

function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

function progressPrinter(quiet: boolean): (progress: FileProgress) => void {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  return (progress) => {
    const now = Date.now();
    const final = progress.phase !== 'downloading';
    if (!tty && !final && now - lastLine < 1000) return;
    lastLine = now;
    process.stderr.write(tty ? `\r\x1b[K${progressLine(progress)}` : `${progressLine(progress)}\n`);
  };
}

/**
 * Runs one download and resolves to the exit code, for a process that exits then (it does not wait for
 * the engine to close). `earlyProbe`: the plain URL's size probe, already sent.
 */
export async function main(argv: readonly string[], earlyProbe?: Promise<ProbeAnswer | undefined>): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const engine = new TransferEngine({
    // Like curl and aria2c: HTTP(S)_PROXY and NO_PROXY from the environment.
    proxy: {},
    fs: inlineWritesFs,
    reclaimMemory: { everyBytes: 8 * MIB },
    log: (level, message) => {
      if (level !== 'debug' && !args.quiet) process.stderr.write(`\n${level}: ${message}\n`);
    },
  });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = performance.now();
  try {
    const { source, name } = sourceFor(args, engine, earlyProbe);
    const target = isDirectory(args.outPath) || /[\\/]$/.test(args.outPath) ? path.join(args.outPath, sanitizeFileName(name)) : args.outPath;
    if (!args.quiet) process.stderr.write(`Downloading ${redactUrl(args.url)} to ${target}\n`);
    const result = await engine.download(source, target, {
      connections: args.connections,
      chunkSize: args.chunkSize,
      singleRequestThreshold: args.singleRequestThreshold,
      verifySha1: args.verify,
      signal: controller.signal,
      onProgress: progressPrinter(args.quiet),
    });
    const seconds = (performance.now() - started) / 1000;
    if (!args.quiet) {
      const rate = result.size / 1024 / 1024 / Math.max(seconds, 1e-9);
      process.stderr.write(`\nSaved ${result.path}: ${result.size} bytes in ${seconds.toFixed(2)} s (${rate.toFixed(1)} MiB/s)${result.sha1 ? `, sha1 ${result.sha1}` : ''}\n`);
    }
    if (args.reportJson) {
      const maxRssBytes = process.resourceUsage().maxRSS * 1024;
      process.stdout.write(`${JSON.stringify({ ...result, seconds, maxRssBytes })}\n`);
    }
    return 0;
  } catch (error) {
    const message = error instanceof TransferError ? `${error.code}: ${error.message}` : errorDetail(error);
    process.stderr.write(`\nerror: ${message}\n`);
    return error instanceof TransferError && error.code === 'cancelled' ? 130 : 1;
  } finally {
    // The process exits next, which closes the sockets at once; a graceful close would only delay that.
    void engine.close().catch(() => undefined);
  }
}
