import * as assert from 'node:assert/strict';
import { startEmulator } from '../../emulator';

describe('emulator: host', () => {
  it('binds another loopback address when asked, and serves APS there', async () => {
    const emulator = await startEmulator({ host: '127.0.0.2' });
    try {
      assert.match(emulator.baseUrl, /^http:\/\/127\.0\.0\.2:\d+$/);
      assert.match(emulator.storageUrl, /^http:\/\/127\.0\.0\.2:\d+$/);
      const token = emulator.issueToken({ scopes: ['data:read'] });
      const hubs = await fetch(`${emulator.baseUrl}/project/v1/hubs`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(hubs.status, 200);
    } finally {
      await emulator.close();
    }
  });

  it('refuses to bind anything but loopback', async () => {
    await assert.rejects(startEmulator({ host: '0.0.0.0' }), /only binds loopback/);
  });
});
