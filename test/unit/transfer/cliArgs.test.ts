import * as assert from 'node:assert/strict';
import { parseBytes, parseCliArgs } from '../../../src/core/transfer/cliArgs';

describe('transfer: CLI arguments', () => {
  it('parses url, path and options', () => {
    const args = parseCliArgs(['http://x/y', 'out.bin', '--connections', '16', '--chunk-size', '4M', '--no-verify']);
    assert.equal(args.url, 'http://x/y');
    assert.equal(args.outPath, 'out.bin');
    assert.equal(args.connections, 16);
    assert.equal(args.chunkSize, 4 * 1024 * 1024);
    assert.equal(args.verify, false);
  });

  it('rejects misuse', () => {
    assert.throws(() => parseCliArgs(['only-one']));
    assert.throws(() => parseCliArgs(['u', 'p', '--connections', '17']));
    assert.throws(() => parseCliArgs(['u', 'p', '--connections']));
    assert.throws(() => parseCliArgs(['u', 'p', '--bogus']));
  });

  it('reads byte counts with binary suffixes', () => {
    assert.equal(parseBytes('8388608'), 8388608);
    assert.equal(parseBytes('8M'), 8 * 1024 * 1024);
    assert.equal(parseBytes('64KiB'), 64 * 1024);
    assert.throws(() => parseBytes('lots'));
  });
});
