import * as assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { safeJoin, sanitizeFileName, unclaimed } from '../../../src/core/download/localNames';
import { nodeFs } from '../../../src/core/transfer/disk/fileSystem';
import { partFilesFor } from '../../../src/core/transfer/disk/partFiles';
import { chooseTarget, isInside, numberedName, prepareTargetInside } from '../../../src/core/transfer/disk/placement';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('transfer: file names', () => {
  it('replaces separators, Windows-forbidden and control characters', () => {
    assert.equal(sanitizeFileName('a/b\\c'), 'a_b_c');
    assert.equal(sanitizeFileName('a:b*?.dwg'), 'a_b__.dwg');
    assert.equal(sanitizeFileName('x<y>"z"|w'), 'x_y__z__w');
    assert.equal(sanitizeFileName('tab\there\u0000nul\u001f\u007f.txt'), 'tab_here_nul__.txt');
  });

  it('never yields ., .. or an empty name', () => {
    for (const raw of ['', '.', '..', '...', '   ', ' . ']) {
      const name = sanitizeFileName(raw);
      assert.ok(name !== '' && name !== '.' && name !== '..', `${JSON.stringify(raw)} → ${name}`);
    }
    assert.equal(sanitizeFileName('../../evil.rvt'), '.._.._evil.rvt');
  });

  it('defuses reserved Windows device names with any extension, in any case', () => {
    for (const raw of ['CON', 'con.dwg', 'Nul.tar.gz', 'PRN.txt', 'aux', 'COM1.rvt', 'com9', 'LPT1.x', 'lpt9.pdf', 'CON .txt']) {
      assert.ok(sanitizeFileName(raw).startsWith('_'), raw);
    }
    for (const raw of ['CONSOLE.txt', 'icon.png', 'COM10.txt', 'auxiliary']) {
      assert.equal(sanitizeFileName(raw), raw);
    }
  });

  it('drops trailing dots and spaces', () => {
    assert.equal(sanitizeFileName('trailing.'), 'trailing');
    assert.equal(sanitizeFileName('name . . '), 'name');
    assert.equal(sanitizeFileName(' leading kept.txt'), ' leading kept.txt');
  });

  it('keeps names within 255 UTF-8 bytes and keeps the extension', () => {
    const long = `${'L'.repeat(296)}.rvt`;
    const name = sanitizeFileName(long);
    assert.equal(bytes(name), 255);
    assert.ok(name.endsWith('.rvt'));
    const wide = `${'设'.repeat(200)}.dwg`;
    const cut = sanitizeFileName(wide);
    assert.ok(bytes(cut) <= 255);
    assert.ok(cut.endsWith('.dwg'));
    assert.ok(!cut.includes('\ufffd'));
    const emoji = `${'📐'.repeat(100)}`;
    assert.equal(Array.from(sanitizeFileName(emoji)).every((c) => c === '📐'), true);
  });

  it('normalizes to NFC and keeps unicode', () => {
    assert.equal(sanitizeFileName('Ünïcødé 设计 📐.dwg'), 'Ünïcødé 设计 📐.dwg');
    assert.equal(sanitizeFileName('U\u0308ber.txt'), '\u00dcber.txt');
  });

  it('joins hostile segments strictly inside the root', () => {
    const root = path.resolve('/tmp/some-root');
    for (const segments of [['../../evil.rvt'], ['..', '..', 'etc', 'passwd'], ['/etc/passwd'], ['C:\\Windows\\x'], ['a', '..', '..', 'b'], ['.'], ['..']]) {
      const target = safeJoin(root, segments);
      assert.ok(isInside(root, target) && target !== root, `${segments.join('|')} → ${target}`);
    }
    assert.equal(safeJoin(root, ['Folder', 'Sub', 'file.rvt']), path.join(root, 'Folder', 'Sub', 'file.rvt'));
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'aps-names-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses a target that escapes the root through a symlinked folder', async () => {
      const root = path.join(dir, 'root');
      const outside = path.join(dir, 'outside');
      await mkdir(root);
      await mkdir(outside);
      await symlink(outside, path.join(root, 'link'));
      await assert.rejects(prepareTargetInside(nodeFs, root, path.join(root, 'link', 'file.bin')), { code: 'unsafe-path' });
      await assert.rejects(prepareTargetInside(nodeFs, root, path.join(dir, 'elsewhere.bin')), { code: 'unsafe-path' });
      await prepareTargetInside(nodeFs, root, path.join(root, 'a', 'b', 'file.bin'));
    });

    it('applies the conflict policies', async () => {
      const target = path.join(dir, 'model.rvt');
      const free = async () => true;
      assert.equal(await chooseTarget(nodeFs, target, 'skip', free), target);
      await writeFile(target, 'x');
      assert.equal(await chooseTarget(nodeFs, target, 'overwrite', free), target);
      assert.equal(await chooseTarget(nodeFs, target, 'skip', free), undefined);
      assert.equal(await chooseTarget(nodeFs, target, 'keepBoth', free), path.join(dir, 'model (1).rvt'));
      await writeFile(path.join(dir, 'model (1).rvt'), 'x');
      assert.equal(await chooseTarget(nodeFs, target, 'keepBoth', free), path.join(dir, 'model (2).rvt'));
      const held = path.join(dir, 'model (2).rvt');
      assert.equal(await chooseTarget(nodeFs, target, 'keepBoth', async (candidate) => candidate !== held), path.join(dir, 'model (3).rvt'), 'a name another download holds is passed over');
    });
  });

  it('gives files of one download that would land on the same name (in any case) numbered names', () => {
    const claimed = new Set<string>();
    const root = path.resolve('/tmp/some-root');
    const names = ['A.rvt', 'a.rvt', 'A.rvt', 'b.rvt'].map((name) => path.basename(unclaimed(path.join(root, name), claimed)));
    assert.deepEqual(names, ['A.rvt', 'a (1).rvt', 'A (2).rvt', 'b.rvt']);
  });

  it('numbers names without breaking the byte limit', () => {
    assert.equal(numberedName('a.tar.gz', 1), 'a.tar (1).gz');
    assert.equal(numberedName('.env', 2), '.env (2)');
    const long = sanitizeFileName(`${'L'.repeat(300)}.rvt`);
    const numbered = numberedName(long, 12);
    assert.ok(bytes(numbered) <= 255 && numbered.endsWith(' (12).rvt'));
  });

  it('keeps temp and journal names within the byte limit', () => {
    const long = sanitizeFileName(`${'设'.repeat(100)}.rvt`);
    const parts = partFilesFor(path.join('/tmp', long));
    assert.ok(bytes(path.basename(parts.journal) + '.tmp') <= 255);
    assert.ok(bytes(path.basename(parts.data)) <= 255);
    assert.ok(bytes(path.basename(parts.lock)) <= 255);
    assert.equal(new Set([parts.data, parts.journal, parts.lock]).size, 3);
    assert.equal(partFilesFor('/tmp/a.rvt').data, '/tmp/a.rvt.apspart');
  });
});
