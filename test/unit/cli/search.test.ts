import * as assert from 'node:assert/strict';
import type { FoundFile } from '../../../src/cli/search';
import { TOWER_FILES, useCliHarness } from './harness';

describe('aps-explorer search (dist/cli.js against the emulator)', function () {
  this.timeout(60_000);
  const h = useCliHarness();

  /** What the emulator holds: the tip version of each seeded item with that name. */
  function tipsNamed(...names: string[]): Array<{ name: string; versionId: string }> {
    return names.map((name) => {
      const item = h.emulator.seed.items.find((candidate) => candidate.displayName === name);
      assert.ok(item, name);
      return { name, versionId: item.versions.at(-1)!.id };
    });
  }

  async function found(args: string[], env?: NodeJS.ProcessEnv): Promise<FoundFile[]> {
    const { code, stdout, stderr } = await h.run(['search', ...args, '--json'], env);
    assert.equal(code, 0, stderr);
    return JSON.parse(stdout) as FoundFile[];
  }

  const essentials = (files: FoundFile[]) => files.map(({ name, versionId }) => ({ name, versionId })).sort((a, b) => a.name.localeCompare(b.name));

  it('finds the latest versions under a folder and its subfolders, by path of names', async () => {
    const admin = h.env({ APS_USER_ID: h.emulator.seed.ids.users.admin });
    const files = await found([`${TOWER_FILES}/Level 1`, 'note'], admin);
    assert.deepEqual(essentials(files), tipsNamed('Level 1 Note.txt', 'Level 2 Note.txt', 'Level 3 Note.txt', 'Level 4 Note.txt'));
  });

  it('searches every top folder of a project by file type, and prints a table without --json', async () => {
    const { ids } = h.emulator.seed;
    const files = await found([ids.bim360Project, '', '--type', 'csv']);
    assert.deepEqual(essentials(files), tipsNamed('Door Schedule.csv'));
    const { code, stdout } = await h.run(['search', ids.bim360Project, 'type:csv']);
    assert.equal(code, 0);
    assert.match(stdout, /Door Schedule\.csv/);
  });

  it('says why when APS wants a user, and refuses a file as the place to search', async () => {
    const withoutUser = await h.run(['search', TOWER_FILES, 'note'], h.env({ APS_USER_ID: '' }));
    assert.equal(withoutUser.code, 1);
    assert.match(withoutUser.stderr, /set APS_USER_ID/);
    const onFile = await h.run(['search', `${TOWER_FILES}/Level 1/Level 1 Note.txt`, 'note']);
    assert.equal(onFile.code, 2);
    assert.match(onFile.stderr, /project or a folder/);
    const missingText = await h.run(['search', TOWER_FILES]);
    assert.equal(missingText.code, 2);
    const badDate = await h.run(['search', TOWER_FILES, 'after:yesterday']);
    assert.equal(badDate.code, 2);
    assert.match(badDate.stderr, /Not a date: after:yesterday/);
  });
});
