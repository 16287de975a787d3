// What the CLI prints: results on stdout (or one JSON document with --json), progress and problems on stderr.
import { createInterface } from 'node:readline/promises';
import { formatBytes } from '../core/format';
import type { AggregateProgress } from '../core/transfer';

/** Seconds between progress lines when stderr is not a terminal. */
const PLAIN_PROGRESS_SECONDS = 2;
const BAR_WIDTH = 24;

export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
}

export class Output {
  private barShown = false;
  private lastPlainLine = 0;
  private readonly tty: boolean;

  constructor(
    private readonly options: OutputOptions,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = stderr.isTTY === true;
  }

  get json(): boolean {
    return this.options.json;
  }

  /** A line of the result, unless the result goes out as JSON. */
  line(text: string): void {
    if (!this.options.json) this.write(this.stdout, `${text}\n`);
  }

  /** The result as JSON, when asked for. */
  document(value: unknown): void {
    if (this.options.json) this.write(this.stdout, `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Something the user should know, on stderr (not with --quiet). */
  note(text: string): void {
    if (!this.options.quiet) this.write(this.stderr, `${text}\n`);
  }

  /** A failure, on stderr whatever the options. */
  problem(text: string): void {
    this.write(this.stderr, `${text}\n`);
  }

  /** A yes/no question on the terminal (stdin and stderr); undefined when there is none to ask on. */
  async confirm(question: string, signal?: AbortSignal, stdin: NodeJS.ReadStream = process.stdin): Promise<boolean | undefined> {
    if (!this.tty || stdin.isTTY !== true) return undefined;
    const terminal = createInterface({ input: stdin, output: this.stderr });
    try {
      return /^y(es)?$/i.test((await terminal.question(question, { signal })).trim());
    } finally {
      terminal.close();
    }
  }

  /** A bar redrawn in place on a terminal; a plain line every few seconds otherwise. */
  progress(progress: AggregateProgress): void {
    if (this.options.quiet) return;
    const text = progressText(progress);
    if (this.tty) {
      this.barShown = true;
      this.stderr.write(`\r\x1b[K${bar(progress)} ${text}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPlainLine < PLAIN_PROGRESS_SECONDS * 1000) return;
    this.lastPlainLine = now;
    this.stderr.write(`${text}\n`);
  }

  private write(stream: NodeJS.WriteStream, text: string): void {
    if (this.barShown) {
      this.stderr.write('\r\x1b[K');
      this.barShown = false;
    }
    stream.write(text);
  }
}

function bar(progress: AggregateProgress): string {
  const fraction = progress.totalBytes > 0 ? Math.min(1, progress.transferredBytes / progress.totalBytes) : 0;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
}

/** "45% · 3/10 files · 115.7 MiB of 256 MiB · 85.3 MiB/s · ETA 2s" */
export function progressText(progress: AggregateProgress): string {
  const parts: string[] = [];
  if (progress.totalBytes > 0) parts.push(`${Math.floor((progress.transferredBytes / progress.totalBytes) * 100)}%`);
  if (progress.files > 1) parts.push(`${progress.finishedFiles + progress.skippedFiles}/${progress.files} files`);
  parts.push(progress.totalBytes > 0 ? `${formatBytes(progress.transferredBytes)} of ${formatBytes(progress.totalBytes)}` : formatBytes(progress.transferredBytes));
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined && progress.bytesPerSecond > 0) parts.push(`ETA ${duration(progress.etaSeconds)}`);
  return parts.join(' · ');
}

export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** Columns padded to their widest cell (the last one is not). */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column].length))) ?? [];
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd());
}
