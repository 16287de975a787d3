import * as assert from 'node:assert/strict';
import type { ListedEntry } from '../../../src/cli/ls';
import { TOWER_FILES, useCliHarness } from './harness';

describe('aps-explorer ls (dist/cli.js against the emulator)', function () {
  this.timeout(60_000);
  const h = useCliHarness();

  async function listed(args: string[]): Promise<ListedEntry[]> {
    const { code, stdout, stderr } = await h.run(['ls', ...args, '--json']);
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as ListedEntry[];
  }

  /** What the emulator holds in Level 1: its file and its subfolder (by name). */
  function levelOne(): Pick<ListedEntry, 'type' | 'id' | 'name'>[] {
    const { seed } = h.emulator;
    const folder = seed.folders.find((candidate) => candidate.parentId === seed.ids.folders.level1);
    const file = seed.items.find((candidate) => candidate.folderId === seed.ids.folders.level1);
    assert.ok(folder && file);
    return [
      { type: 'file', id: file.id, name: file.versions.at(-1)!.name },
      { type: 'folder', id: folder.id, name: folder.name },
    ];
  }

  const essentials = (entries: ListedEntry[]) => entries.map(({ type, id, name }) => ({ type, id, name })).sort((a, b) => a.name.localeCompare(b.name));

  it('lists the hubs, then a folder by its path of names', async () => {
    const { seed } = h.emulator;
    const hubs = await listed([]);
    assert.deepEqual(
      hubs.map((hub) => hub.id).sort(),
      seed.hubs.filter((hub) => hub.kind !== 'personal').map((hub) => hub.id).sort(),
      'the account hubs a 2-legged app sees',
    );
    const entries = await listed([`${TOWER_FILES}/Level 1`]);
    assert.deepEqual(essentials(entries), levelOne());
    const file = entries.find((entry) => entry.type === 'file');
    assert.equal(file?.path, `${TOWER_FILES}/Level 1/Level 1 Note.txt`);
    assert.equal(file?.size, 101);
  });

  it('lists the same folder by its URN and by its BIM 360 web link', async () => {
    const { seed } = h.emulator;
    const level1 = seed.ids.folders.level1;
    assert.deepEqual(essentials(await listed([level1])), levelOne());
    const link = `https://docs.b360.autodesk.com/projects/${seed.ids.bim360Project.slice(2)}/folders/${encodeURIComponent(level1)}/detail`;
    assert.deepEqual(essentials(await listed([link])), levelOne());
  });

  it("lists a file's versions, newest first, and a project's top folders by ID", async () => {
    const { seed } = h.emulator;
    const tower = h.item(seed.ids.items.towerRvt);
    const versions = await listed([tower.id]);
    assert.deepEqual(versions.map((version) => version.id), [...tower.versions].reverse().map((version) => version.id));
    assert.deepEqual(versions.map((version) => version.type), ['version', 'version', 'version']);
    const project = seed.projects.find((candidate) => candidate.id === seed.ids.bim360Project);
    const top = await listed([seed.ids.bim360Project]);
    assert.deepEqual(top.map((folder) => folder.id).sort(), [...(project?.topFolderIds ?? [])].sort());
  });

  it('prints a table for people', async () => {
    const { code, stdout } = await h.run(['ls', `${TOWER_FILES}/Level 1`]);
    assert.equal(code, 0);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^folder\s+Level 2\/\s+.*urn:adsk\.wipprod:fs\.folder:/);
    assert.match(lines[1], /^file\s+Level 1 Note\.txt\s+101 B\s+.*urn:adsk\.wipprod:dm\.lineage:/);
  });

  it('fails with one clear line, and status 1, for a name nobody has', async () => {
    const { code, stdout, stderr } = await h.run(['ls', `${TOWER_FILES}/No Such Folder`]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, `aps-explorer: No file or folder named "No Such Folder" in ${TOWER_FILES}.\n`);
  });
});
