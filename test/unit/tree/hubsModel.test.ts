import * as assert from 'node:assert/strict';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { DataManagementClient } from '../../../src/core/dm/dataManagement';
import { createDispatcher } from '../../../src/core/http/dispatcher';
import { HttpClient } from '../../../src/core/http/httpClient';
import { dmHubsData } from '../../../src/tree/dmHubsData';
import { HubsModel } from '../../../src/tree/hubsModel';
import type { ContainerNode, TreeNode } from '../../../src/tree/nodes';
import { locateRemote } from '../../../src/core/remote/locate';

describe('HubsModel over the emulator', function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let dm: DataManagementClient;
  let model: HubsModel;
  let dispatcher: ReturnType<typeof createDispatcher>;

  before(async () => {
    emu = await startEmulator();
    const token = emu.issueToken({ scopes: ['data:read'], userId: emu.seed.ids.users.demo });
    dispatcher = createDispatcher();
    const http = new HttpClient({ dispatcher, baseUrl: emu.baseUrl, authorizer: { getAccessToken: async () => token, onUnauthorized: async () => false } });
    dm = new DataManagementClient(http);
  });

  beforeEach(() => {
    model = new HubsModel(dmHubsData(dm, 50));
  });

  after(async () => {
    await dispatcher.close();
    await emu.close();
  });

  const byName = (nodes: TreeNode[], name: string) => {
    const found = nodes.find((n) => 'hub' in n && n.kind === 'hub' ? n.hub.name === name : n.kind === 'project' ? n.project.name === name : n.kind === 'folder' ? n.folder.name === name : n.kind === 'item' ? n.item.name === name : false);
    if (!found) throw new Error(`${name} not among ${nodes.map((n) => n.id).join(', ')}`);
    return found as ContainerNode;
  };

  async function bigFolder(): Promise<ContainerNode> {
    const folder = emu.seed.folders.find((f) => f.id === emu.seed.ids.folders.bigFolder)!;
    const project = emu.seed.projects.find((p) => p.id === folder.projectId)!;
    const hub = emu.seed.hubs.find((h) => h.id === project.hubId)!;
    let node = byName(await model.children(), hub.name);
    node = byName(await model.children(node), project.name);
    node = byName(await model.children(node), 'Project Files');
    return byName(await model.children(node), folder.name);
  }

  it('pages a folder in the server order with a Load more node, and Load all has no gaps or duplicates', async () => {
    const folder = await bigFolder();
    const first = await model.children(folder);
    assert.equal(first.length, 51);
    assert.equal(first[50].kind, 'loadMore');
    await model.loadMore(folder);
    const second = await model.children(folder);
    assert.deepEqual(second.slice(0, 50).map((n) => n.id), first.slice(0, 50).map((n) => n.id));
    await model.loadAll(folder);
    const all = await model.children(folder);
    const expected = emu.seed.items.filter((i) => i.folderId === emu.seed.ids.folders.bigFolder && !i.hidden).map((i) => `item:${i.id}`);
    assert.deepEqual(all.map((n) => n.id), expected);
  });

  it('keeps node objects stable across reloads so reveal and selection survive a refresh', async () => {
    const folder = await bigFolder();
    const before = (await model.children(folder))[0];
    model.refresh(folder);
    const after = (await model.children(folder))[0];
    assert.equal(after, before);
    assert.equal(model.parent(after), folder);
  });

  it('filters a folder by name, asking APS first (it refuses the filter) and filtering the listing itself', async () => {
    const folder = await bigFolder();
    assert.equal(folder.kind, 'folder');
    const sample = emu.seed.items.find((i) => i.folderId === emu.seed.ids.folders.bigFolder)!;
    const needle = sample.displayName.slice(0, Math.max(4, sample.displayName.length - 2));
    emu.requests.clear();
    model.setFilter(folder as never, needle);
    const filtered = await model.children(folder);
    assert.ok(filtered.length >= 1);
    assert.ok(filtered.every((n) => n.kind !== 'item' || n.item.name.includes(needle) || n.item.displayName.includes(needle)));
    assert.ok(emu.requests.list().some((r) => JSON.stringify(r.query).includes('displayName') && r.status === 400));
  });

  it('shows a notice after the hubs when APS could not list a region', async () => {
    const refusing = await startEmulator({ hubWarnings: true });
    const token = refusing.issueToken({ scopes: ['data:read'], userId: refusing.seed.ids.users.demo });
    const http = new HttpClient({ dispatcher, baseUrl: refusing.baseUrl, authorizer: { getAccessToken: async () => token, onUnauthorized: async () => false } });
    try {
      const roots = await new HubsModel(dmHubsData(new DataManagementClient(http), 50)).children();
      assert.deepEqual(roots.map((node) => node.kind), ['hub', 'hub', 'hub', 'hub', 'notice']);
      assert.ok(!roots.some((node) => node.kind === 'hub' && node.hub.region === 'EMEA'));
      const notice = roots.at(-1)!;
      assert.equal(notice.kind === 'notice' && notice.text, "Hubs in EMEA are missing: Autodesk could not list them (You don't have permission to access this API, HTTP 403).");
    } finally {
      await refusing.close();
    }
  });

  it('resolves and materializes an item four folders deep from its ID', async () => {
    const id = emu.seed.ids.items.levelFourNote;
    const path = await locateRemote(dm, id);
    assert.deepEqual(path.folders?.map((f) => f.name), ['Project Files', 'Level 1', 'Level 2', 'Level 3', 'Level 4']);
    const node = await model.materialize(path);
    assert.equal(node.id, `item:${id}`);
    const chain: string[] = [];
    for (let n: TreeNode | undefined = node; n; n = model.parent(n)) chain.unshift(n.kind);
    assert.deepEqual(chain, ['hub', 'project', 'folder', 'folder', 'folder', 'folder', 'folder', 'item']);
  });

  it('turns a 403 into an error node and an empty folder into an empty node', async () => {
    const project = emu.seed.projects.find((p) => p.id === emu.seed.ids.forbiddenProject)!;
    const hub = emu.seed.hubs.find((h) => h.id === project.hubId)!;
    const hubNode = byName(await model.children(), hub.name);
    const projects = await model.children(hubNode);
    const forbidden = projects.find((n) => n.kind === 'project' && n.project.id === project.id);
    assert.ok(forbidden, 'the forbidden project is listed');
    const nodes = await model.children(forbidden as ContainerNode);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].kind, 'error');
    assert.equal(nodes[0].kind === 'error' && nodes[0].error.status, 403);
  });
});
