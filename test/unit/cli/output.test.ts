import * as assert from 'node:assert/strict';
import { Output } from '../../../src/cli/output';
import type { AggregateProgress } from '../../../src/core/transfer';

const MiB = 1024 * 1024;

/** A stream that keeps what is written to it. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const fake = { isTTY, text: '', write: (chunk: string) => ((fake.text += chunk), true) };
  return fake as unknown as NodeJS.WriteStream & { text: string };
}

const progress = (transferredBytes: number): AggregateProgress => ({
  files: 2,
  finishedFiles: 1,
  failedFiles: 0,
  skippedFiles: 0,
  activeFiles: 1,
  totalBytes: 8 * MiB,
  transferredBytes,
  bytesPerSecond: 2 * MiB,
  etaSeconds: (8 * MiB - transferredBytes) / (2 * MiB),
});

describe('aps-explorer output', () => {
  it('redraws one progress bar on a terminal, and clears it before a result line', () => {
    const out = stream(false);
    const err = stream(true);
    const output = new Output({ json: false, quiet: false }, out, err);
    output.progress(progress(2 * MiB));
    output.progress(progress(4 * MiB));
    assert.equal(err.text, '\r\x1b[K[######------------------] 25% · 1/2 files · 2.0 MiB of 8.0 MiB · 2.0 MiB/s · ETA 3s\r\x1b[K[############------------] 50% · 1/2 files · 4.0 MiB of 8.0 MiB · 2.0 MiB/s · ETA 2s');
    output.line('downloaded  a.rvt (4.0 MiB)');
    assert.ok(err.text.endsWith('\r\x1b[K'), 'the bar is cleared first');
    assert.equal(out.text, 'downloaded  a.rvt (4.0 MiB)\n');
  });

  it('writes plain progress lines when piped, none with --quiet, and only JSON on stdout with --json', () => {
    const err = stream(false);
    const piped = new Output({ json: false, quiet: false }, stream(false), err);
    piped.progress(progress(2 * MiB));
    piped.progress(progress(3 * MiB));
    assert.equal(err.text, '25% · 1/2 files · 2.0 MiB of 8.0 MiB · 2.0 MiB/s · ETA 3s\n', 'at most one line every two seconds');
    const quietErr = stream(true);
    new Output({ json: false, quiet: true }, stream(false), quietErr).progress(progress(MiB));
    assert.equal(quietErr.text, '');
    const out = stream(false);
    const json = new Output({ json: true, quiet: false }, out, stream(false));
    json.line('downloaded  a.rvt');
    json.document({ downloaded: 1 });
    assert.deepEqual(JSON.parse(out.text), { downloaded: 1 });
  });
});
