import { strict as assert } from 'node:assert';
import { FolderPaths, pathName } from '../../../src/core/dm/folderPaths';
import type { Folder, FolderEntry, Item } from '../../../src/core/dm/models';
import { twoLeggedClient, useEmulator } from './harness';

describe('core/dm folders as paths of names', () => {
  const emulator = useEmulator();
  let client: ReturnType<typeof twoLeggedClient>;
  before(() => {
    client = twoLeggedClient(emulator(), undefined, { userId: emulator().seed.ids.users.demo });
  });
  after(() => client.close());

  it('lists a folder by name and follows a path of names down to a file', async () => {
    const { ids } = emulator().seed;
    const paths = new FolderPaths(client.dm);
    const top = await paths.list(ids.bim360Project, ids.folders.bim360ProjectFiles);
    assert.ok(top.has('Schedules') && top.has('Tower.rvt') && top.has('Big Folder'));
    assert.ok(!top.has('Confidential'), 'what the user may not read is not listed');
    const file = await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, ['Schedules', 'Door Schedule.csv']);
    assert.equal(file?.kind, 'item');
    assert.equal(file?.kind === 'item' ? file.item.tip?.versionNumber : 0, 3);
    const folder = await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, ['Level 1', 'Level 2']);
    assert.equal(folder?.kind === 'folder' ? folder.folder.id : '', ids.folders.level2);
    const root = await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, []);
    assert.equal(root?.kind === 'folder' ? root.folder.name : '', 'Project Files');
    assert.equal(await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, ['Nope.txt']), undefined);
    assert.equal(await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, ['Tower.rvt', 'inside']), undefined, 'a file has nothing below it');

    emulator().requests.clear();
    await paths.resolve(ids.bim360Project, ids.folders.bim360ProjectFiles, ['Schedules', 'Frame.ifc']);
    assert.equal(emulator().requests.list({ origin: 'api' }).length, 0, 'listings already read are reused');
    const big = await paths.list(ids.bim360Project, ids.folders.bigFolder);
    assert.equal(big.size, 5000, 'every page');
  });

  it('gives every entry a path name of its own', async () => {
    const folder = (name: string): Folder => ({ type: 'folders', id: `f:${name}`, projectId: 'p', name, extensionType: '', hidden: false });
    const item = (id: string, name: string): Item => ({ type: 'items', id, projectId: 'p', name, displayName: name, extensionType: '', hidden: false });
    const entries: FolderEntry[] = [item('1', 'a.txt'), item('2', 'a.txt'), folder('a/b'), folder('a/b')];
    const paths = new FolderPaths({ listFolderContents: async () => entries, getFolder: async () => folder('root') });
    assert.deepEqual([...(await paths.list('p', 'root')).keys()], ['a.txt', 'a (2).txt', 'a_b', 'a_b (2)']);
    assert.equal(pathName(''), '_');
  });
});
