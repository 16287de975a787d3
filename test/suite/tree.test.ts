import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunningEmulator } from '../emulator';
import type { ApsExplorerApi } from '../../src/extension';
import type { ScriptedPrompts } from '../../src/ui/prompts';
import { children, item, label, signInWithApp, useEmulator, walk, setSetting } from './support/harness';

describe('Hubs tree (2-legged, against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator());
  });

  after(async () => {
    await ext.accounts.signOut();
  });

  it('shows nothing but the welcome while signed out', async () => {
    assert.equal(ext.accounts.account, undefined);
    assert.deepEqual(await children(ext), []);
  });

  it('refuses a wrong client secret with a clear error and stays signed out', async () => {
    prompts.answer('not-the-secret');
    await vscode.commands.executeCommand('apsExplorer.useAppCredentials');
    assert.equal(ext.accounts.account, undefined);
    const error = prompts.notifications.at(-1);
    assert.equal(error?.level, 'error');
    assert.match(error!.message, /App credentials were refused/);
  });

  it('lists the hubs the emulator serves to the app, with kinds and icons', async () => {
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    const hubs = await children(ext);
    const expected = emu.seed.hubs.filter((hub) => hub.kind !== 'personal');
    assert.deepEqual(hubs.map((node) => label(ext, node)).sort(), expected.map((hub) => hub.name).sort());
    for (const node of hubs) {
      const treeItem = item(ext, node);
      assert.equal(treeItem.contextValue?.split(' ')[0], 'aps.hub');
      assert.ok(treeItem.iconPath instanceof vscode.ThemeIcon);
      assert.ok(treeItem.tooltip instanceof vscode.MarkdownString);
      assert.equal(treeItem.id, node.id);
    }
    const account = hubs.find((node) => node.kind === 'hub' && node.hub.id === emu.seed.ids.accHub)!;
    assert.equal(item(ext, account).description, 'BIM 360 / ACC');
    assert.equal((item(ext, account).iconPath as vscode.ThemeIcon).id, 'organization');
    const accProject = emu.seed.projects.find((p) => p.id === emu.seed.ids.accProject)!;
    const accProjectNode = (await children(ext, account)).find((node) => label(ext, node) === accProject.name)!;
    assert.equal(item(ext, accProjectNode).description, 'ACC');
    assert.equal((item(ext, accProjectNode).iconPath as vscode.ThemeIcon).id, 'layers');
  });

  it('expands hub → project → top folders → folder → item → versions, newest first with the tip marked', async () => {
    const hub = emu.seed.hubs.find((h) => h.id === emu.seed.ids.bim360Hub)!;
    const project = emu.seed.projects.find((p) => p.id === emu.seed.ids.bim360Project)!;
    const projectNode = await walk(ext, hub.name, project.name);
    assert.equal(item(ext, projectNode).description, 'BIM 360');
    const top = await children(ext, projectNode);
    const topLabels = top.map((n) => label(ext, n));
    assert.ok(topLabels.includes('Project Files') && topLabels.includes('Plans'), topLabels.join(', '));

    const seedItem = emu.seed.items.find((i) => i.id === emu.seed.ids.items.towerRvt)!;
    const folderNames = folderPath(emu, seedItem.folderId);
    const itemNode = await walk(ext, hub.name, project.name, ...folderNames, seedItem.versions.at(-1)!.name);
    const itemTreeItem = item(ext, itemNode);
    assert.equal(itemTreeItem.contextValue?.split(' ')[0], 'aps.item');
    assert.match(String(itemTreeItem.description), new RegExp(`v${seedItem.versions.length}$`));
    assert.equal(itemTreeItem.resourceUri?.path, `/${seedItem.versions.at(-1)!.name}`);

    const versions = await children(ext, itemNode);
    assert.deepEqual(
      versions.map((n) => label(ext, n)),
      [...seedItem.versions].reverse().map((v) => `v${v.versionNumber}`),
    );
    assert.match(String(item(ext, versions[0]).description), /^latest/);
    assert.doesNotMatch(String(item(ext, versions[1]).description ?? ''), /latest/);
    assert.equal(item(ext, versions[0]).contextValue?.split(' ')[0], 'aps.version');
  });

  it('pages the 5,000-item folder: Load more, then Load all', async () => {
    const folder = await walkToFolder(emu, ext, emu.seed.ids.folders.bigFolder);
    let nodes = await children(ext, folder);
    assert.equal(nodes.length, 51);
    assert.equal(nodes.at(-1)!.kind, 'loadMore');
    assert.equal(label(ext, nodes.at(-1)!), 'Load more…');

    await vscode.commands.executeCommand('apsExplorer.loadMore', nodes.at(-1));
    nodes = await children(ext, folder);
    assert.equal(nodes.length, 101);

    await vscode.commands.executeCommand('apsExplorer.loadAll', nodes.at(-1));
    nodes = await children(ext, folder);
    const expected = emu.seed.items.filter((i) => i.folderId === emu.seed.ids.folders.bigFolder && !i.hidden).length;
    assert.equal(nodes.length, expected);
    assert.ok(nodes.every((n) => n.kind === 'item'));
    assert.equal(new Set(nodes.map((n) => n.id)).size, nodes.length);
  });

  it('re-queries the tree when the page size setting changes', async () => {
    await setSetting('pageSize', 20);
    try {
      const folder = await walkToFolder(emu, ext, emu.seed.ids.folders.bigFolder);
      const nodes = await children(ext, folder);
      assert.equal(nodes.length, 21);
    } finally {
      await setSetting('pageSize', 50);
    }
  });

  it('reveals an item four folders deep by its ID', async () => {
    const id = emu.seed.ids.items.levelFourNote;
    const revealed = await vscode.commands.executeCommand<string>('apsExplorer.revealById', id);
    assert.equal(revealed, `item:${id}`);
    assert.equal(ext.hubs.view.selection[0]?.id, `item:${id}`);
  });

  it('copies the ID, URN and web link of every node kind whose menu offers them, exactly as APS names them', async () => {
    const { ids } = emu.seed;
    const tower = emu.seed.items.find((candidate) => candidate.id === ids.items.towerRvt)!;
    const hubNode = await walk(ext, 'Emulator BIM 360 Account');
    const projectNode = await walk(ext, 'Emulator BIM 360 Account', 'Tower');
    const folderNode = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files');
    const itemNode = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Project Files', 'Tower.rvt');
    const versionNode = (await children(ext, itemNode))[1];
    const olderVersion = tower.versions.at(-2)!;

    // What APS itself says about each resource: ids from the seed, web links as the emulator serves them.
    const token = emu.issueToken({ scopes: ['data:read'] });
    const webView = async (path: string) => {
      const response = await fetch(`${emu.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await response.json()) as { data: { links: { webView?: { href: string } } } }).data.links.webView?.href;
    };
    const project = `/data/v1/projects/${ids.bim360Project}`;
    const base64Url = (id: string) => Buffer.from(id).toString('base64url');
    const expected: Record<string, Record<string, string | undefined>> = {
      hub: { copyId: ids.bim360Hub },
      project: { copyId: ids.bim360Project, copyWebLink: await webView(`/project/v1/hubs/${ids.bim360Hub}/projects/${ids.bim360Project}`) },
      folder: { copyId: ids.folders.bim360ProjectFiles, copyWebLink: await webView(`${project}/folders/${encodeURIComponent(ids.folders.bim360ProjectFiles)}`) },
      item: { copyId: tower.id, copyUrn: base64Url(tower.versions.at(-1)!.id), copyWebLink: await webView(`${project}/items/${encodeURIComponent(tower.id)}`) },
      version: { copyId: olderVersion.id, copyUrn: base64Url(olderVersion.id), copyWebLink: await webView(`${project}/versions/${encodeURIComponent(olderVersion.id)}`) },
    };

    const menus = (vscode.extensions.getExtension('aps-explorer.aps-explorer')!.packageJSON.contributes.menus['view/item/context'] as Array<{ command: string; when: string }>).filter((entry) =>
      ['apsExplorer.copyId', 'apsExplorer.copyUrn', 'apsExplorer.copyWebLink'].includes(entry.command),
    );
    const offers = (command: string, contextValue: string) =>
      menus.filter((entry) => entry.command === command).some((entry) => new RegExp(/viewItem =~ \/(.+)\/$/.exec(entry.when)![1]).test(contextValue));

    const copied: string[] = [];
    for (const node of [hubNode, projectNode, folderNode, itemNode, versionNode]) {
      const contextValue = item(ext, node).contextValue ?? '';
      for (const command of ['copyId', 'copyUrn', 'copyWebLink']) {
        const wanted = expected[node.kind][command];
        assert.equal(offers(`apsExplorer.${command}`, contextValue), wanted !== undefined, `${node.kind} ${contextValue}: ${command} offered`);
        if (wanted === undefined) continue;
        await vscode.env.clipboard.writeText('(nothing copied)');
        await vscode.commands.executeCommand(`apsExplorer.${command}`, node);
        assert.equal(await vscode.env.clipboard.readText(), wanted, `${command} on the ${node.kind}`);
        copied.push(`${node.kind}:${command}`);
      }
    }
    assert.equal(copied.length, 11);
  });
});

describe('Hubs tree as a user without access', function () {
  this.timeout(60_000);

  it('shows an error node on a 403 project, and Retry asks again', async () => {
    const { emu, ext, prompts } = await useEmulator({ userId: '' });
    await vscode.workspace.getConfiguration('apsExplorer').update('userId', emu.seed.ids.users.demo, vscode.ConfigurationTarget.Global);
    await ext.accounts.reconnect();
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
    try {
      const hub = emu.seed.hubs.find((h) => h.id === emu.seed.ids.bim360Hub)!;
      const forbidden = emu.seed.projects.find((p) => p.id === emu.seed.ids.forbiddenProject)!;
      const projects = await children(ext, await walk(ext, hub.name));
      const projectNode = projects.find((n) => label(ext, n) === forbidden.name);
      if (projectNode) {
        const nodes = await children(ext, projectNode);
        assert.equal(nodes.length, 1);
        assert.equal(nodes[0].kind, 'error');
        assert.match(label(ext, nodes[0]), /^No access/);
        assert.equal(item(ext, nodes[0]).command?.command, 'apsExplorer.retry');
        emu.requests.clear();
        await vscode.commands.executeCommand('apsExplorer.retry', nodes[0]);
        const again = await children(ext, projectNode);
        assert.equal(again[0].kind, 'error');
        assert.ok(emu.requests.list().some((r) => r.path.includes(forbidden.id.replace(/^b\./, '')) || r.path.includes(forbidden.id)));
      } else {
        assert.fail(`the forbidden project is not listed for the demo user: ${projects.map((n) => label(ext, n)).join(', ')}`);
      }
    } finally {
      await setSetting('userId', '');
      await ext.accounts.signOut();
    }
  });
});

function folderPath(emu: RunningEmulator, folderId: string): string[] {
  const names: string[] = [];
  let folder = emu.seed.folders.find((f) => f.id === folderId);
  while (folder && folder.parentId) {
    names.unshift(folder.name);
    folder = emu.seed.folders.find((f) => f.id === folder!.parentId);
  }
  return names;
}

async function walkToFolder(emu: RunningEmulator, ext: ApsExplorerApi, folderId: string) {
  const folder = emu.seed.folders.find((f) => f.id === folderId)!;
  const project = emu.seed.projects.find((p) => p.id === folder.projectId)!;
  const hub = emu.seed.hubs.find((h) => h.id === project.hubId)!;
  return walk(ext, hub.name, project.name, ...folderPath(emu, folderId));
}
