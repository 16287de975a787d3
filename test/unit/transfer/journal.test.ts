import * as assert from 'node:assert/strict';
import { parseJournal } from '../../../src/core/transfer/disk/journal';

const valid = { version: 1, identity: 'oss:b/o', size: 100, sha1: 'ab', chunkSize: 10, layout: '0-99', etags: ['"e"'], done: [[0, 10]] };

describe('transfer: journal parsing', () => {
  it('accepts a well-formed journal', () => {
    assert.deepEqual(parseJournal(JSON.stringify(valid)), valid);
  });

  it('treats damaged or foreign journals as absent', () => {
    const damaged = [
      '',
      '{',
      'null',
      '[]',
      JSON.stringify({ ...valid, version: 2 }),
      JSON.stringify({ ...valid, size: -1 }),
      JSON.stringify({ ...valid, done: [[5, 5]] }),
      JSON.stringify({ ...valid, done: [[90, 101]] }),
      JSON.stringify({ ...valid, done: [[0, 'x']] }),
      JSON.stringify({ ...valid, etags: [1] }),
      JSON.stringify(valid).slice(0, 40),
    ];
    for (const text of damaged) assert.equal(parseJournal(text), undefined, text);
  });

  it('never stores a URL', () => {
    assert.ok(!('url' in (parseJournal(JSON.stringify(valid)) as object)));
  });
});
