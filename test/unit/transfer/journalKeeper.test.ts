import * as assert from 'node:assert/strict';
import type { TransferFile, TransferFs } from '../../../src/core/transfer/disk/fileSystem';
import { IntervalSet } from '../../../src/core/transfer/plan/intervals';
import { JournalKeeper, parseJournal } from '../../../src/core/transfer/disk/journal';

describe('transfer: journal keeper', () => {
  const describeObject = () => ({ version: 1 as const, identity: 'oss:b/o', size: 100, chunkSize: 10, layout: '0-99', etags: [] });

  /** Records syncs and journal writes in order; a sync stays pending until the test releases it. */
  function recorder() {
    const events: string[] = [];
    const journals: string[] = [];
    let release: (() => void) | undefined;
    const file = {
      datasync: () =>
        new Promise<void>((resolve) => {
          events.push('datasync');
          release = resolve;
        }),
    } as unknown as TransferFile;
    const fs = {
      writeText: async (_path: string, text: string) => {
        journals.push(text);
      },
      rename: async () => {
        events.push('journal');
      },
    } as unknown as TransferFs;
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        release?.();
        release = undefined;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return { events, journals, file, fs, settle, releaseSync: () => release?.() };
  }

  it('syncs the data every syncEveryBytes without writing the journal, which waits for its interval', async () => {
    const r = recorder();
    const written = new IntervalSet();
    const keeper = new JournalKeeper(r.fs, 'j', r.file, written, describeObject, 60_000, () => undefined, 10);
    keeper.start();
    written.add(0, 10);
    keeper.markDirty(10);
    await r.settle();
    written.add(10, 25);
    keeper.markDirty(15);
    await r.settle();
    keeper.markDirty(3);
    await r.settle();
    assert.deepEqual(r.events, ['datasync', 'datasync'], 'two syncs, one per 10 bytes, and no journal yet');
    const flushed = keeper.flush();
    await r.settle();
    await flushed;
    assert.deepEqual(r.events, ['datasync', 'datasync', 'datasync', 'journal']);
    assert.deepEqual(parseJournal(r.journals[0])?.done, [[0, 25]]);
    await keeper.stop();
  });

  it('records only what was written before the sync that precedes the journal', async () => {
    const r = recorder();
    const written = new IntervalSet();
    const keeper = new JournalKeeper(r.fs, 'j', r.file, written, describeObject, 60_000, () => undefined, 1000);
    written.add(0, 10);
    keeper.markDirty(10);
    const flushed = keeper.flush();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(r.events, ['datasync']);
    written.add(10, 20);
    keeper.markDirty(10);
    r.releaseSync();
    await flushed;
    assert.deepEqual(parseJournal(r.journals[0])?.done, [[0, 10]]);
    await keeper.stop();
  });

  it('queues at most one data sync behind a running one', async () => {
    const r = recorder();
    const keeper = new JournalKeeper(r.fs, 'j', r.file, new IntervalSet(), describeObject, 60_000, () => undefined, 10);
    keeper.start();
    keeper.markDirty(10);
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 10; i++) keeper.markDirty(10);
    assert.deepEqual(r.events, ['datasync']);
    await r.settle();
    assert.deepEqual(r.events, ['datasync', 'datasync']);
    await keeper.stop();
  });
});
