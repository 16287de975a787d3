import { strict as assert } from 'node:assert';
import { releaseAtMs } from '../../emulator/storage/stream';

describe('emulator: bandwidth cap (a token bucket that starts full)', () => {
  const rate = 1000; // bytes per second: one byte per ms
  const burst = 100;

  it('lets the first write go at once and each full one when its bytes are due', () => {
    assert.deepEqual(
      [0, 100, 200, 900].map((sent) => releaseAtMs(sent, burst, rate, burst)),
      [0, 100, 200, 900],
    );
  });

  it('lets a short last write go when its own bytes are due, not a whole write later', () => {
    // 1,001 bytes in writes of 100: the last byte is due at 901 ms (the burst paid for the first 100).
    assert.equal(releaseAtMs(1000, 1, rate, burst), 901);
    assert.equal(releaseAtMs(1000, 50, rate, burst), 950);
    // Smaller than the burst altogether: at once.
    assert.equal(releaseAtMs(0, 40, rate, burst), 0);
  });
});
