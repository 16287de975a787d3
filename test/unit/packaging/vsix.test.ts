import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');
const vsce = join(root, 'node_modules', '.bin', 'vsce');

describe('packaging', function () {
  this.timeout(120_000);

  it('ships the bundle, manifest strings, icon and walkthrough, and none of the sources, tests or node_modules', () => {
    const listed = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    for (const wanted of ['dist/extension.js', 'package.json', 'package.nls.json', 'media/aps.svg', 'README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(files.includes(wanted), `${wanted} is packaged`);
    assert.ok(files.some((file) => file.startsWith('media/walkthrough/')), 'the walkthrough is packaged');
    const leaked = files.filter((file) => /^(src|test|node_modules|out|\.cache|media\/screenshots)\//.test(file) || file.endsWith('.map'));
    assert.deepEqual(leaked, []);
  });

  it('makes a .vsix under 1 MiB', () => {
    const folder = mkdtempSync(join(tmpdir(), 'aps-vsix-'));
    try {
      const out = join(folder, 'aps-explorer.vsix');
      const packed = spawnSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: root, encoding: 'utf8' });
      assert.equal(packed.status, 0, packed.stderr || packed.stdout);
      assert.ok(statSync(out).size < 1024 * 1024, `${statSync(out).size} bytes`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
