import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Details } from '../../../src/details/detailsModel';
import type { ApsExplorerApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/tree/nodes';
import type { ScriptedPrompts } from '../../../src/ui/prompts';
import type { RunningEmulator } from '../../emulator';
import { contextFlags, itemNode, tipNode } from '../commands/support';
import { children, item, signInWithApp, useEmulator, walk } from '../support/harness';

describe('Thumbnails, Details and Autodesk Docs links (against the emulator)', function () {
  this.timeout(120_000);
  let emu: RunningEmulator;
  let ext: ApsExplorerApi;
  let prompts: ScriptedPrompts;

  before(async () => {
    ({ emu, ext, prompts } = await useEmulator());
    await signInWithApp(ext, prompts, emu.seed.credentials.clientSecret!);
  });

  after(async () => {
    await ext.accounts.signOut();
  });

  const tooltipOf = async (node: TreeNode): Promise<string> => {
    const fresh = item(ext, node);
    assert.equal(fresh.tooltip, undefined, 'filled on hover');
    const resolved = await ext.hubs.provider.resolveTreeItem!(fresh, node, new vscode.CancellationTokenSource().token);
    return ((resolved ?? fresh).tooltip as vscode.MarkdownString).value;
  };
  const thumbnailCalls = () => emu.requests.list({ path: /\/thumbnail$/ });
  const served = async (versionId: string): Promise<Buffer> => {
    const token = emu.issueToken({ scopes: ['data:read'] });
    const response = await fetch(`${emu.baseUrl}/modelderivative/v2/designdata/${Buffer.from(versionId).toString('base64url')}/thumbnail?width=100`, { headers: { authorization: `Bearer ${token}` } });
    return Buffer.from(await response.arrayBuffer());
  };

  it('shows the small Model Derivative thumbnail in a version tooltip, fetched once per session', async () => {
    const tower = await tipNode(emu, ext, emu.seed.ids.items.towerRvt);
    emu.requests.clear();
    const tooltip = await tooltipOf(tower);
    const calls = thumbnailCalls();
    assert.equal(calls.length, 1);
    assert.equal(calls[0].query.width, '100', 'the small size');
    assert.ok(tooltip.startsWith('**Tower\\.rvt v3 \\(latest\\)**'), 'the title, Markdown-escaped');
    const png = Buffer.from(/!\[Thumbnail\]\(data:image\/png;base64,([A-Za-z0-9+/=]+)\)/.exec(tooltip)![1], 'base64');
    assert.deepEqual(png, await served(tower.kind === 'version' ? tower.version.id : ''));
    assert.match(tooltip, /Version ID \| `urn:adsk\.wipprod:fs\.file:/);
    emu.requests.clear();
    await tooltipOf(tower);
    assert.equal(thumbnailCalls().length, 0, 'kept for the session');
    const towerItem = await itemNode(emu, ext, emu.seed.ids.items.towerRvt);
    assert.match(await tooltipOf(towerItem), /data:image\/png;base64,/, 'a file shows its latest version\'s');
  });

  it('asks nothing for versions without derivatives, and says when a thumbnail is still being generated', async () => {
    const notes = await tipNode(emu, ext, emu.seed.ids.items.notesTxt);
    emu.requests.clear();
    const tooltip = await tooltipOf(notes);
    assert.ok(tooltip.startsWith('**Notes\\.txt v3 \\(latest\\)**'));
    assert.doesNotMatch(tooltip, /image|thumbnail/i);
    assert.equal(thumbnailCalls().length, 0);
    const unprocessed = await tipNode(emu, ext, emu.seed.ids.items.accUnprocessedDwg);
    assert.match(await tooltipOf(unprocessed), /\*The thumbnail is still being generated\.\*/);
  });

  it('shows details of the selected version: thumbnail, IDs, sizes, dates, users, process state and the versions list', async () => {
    await vscode.commands.executeCommand('apsExplorer.details.focus');
    const towerItem = await itemNode(emu, ext, emu.seed.ids.items.towerRvt);
    const [, v2] = await children(ext, towerItem);
    const rendered = new Promise<Details>((resolve) => {
      const listener = ext.details.onDidRender((details) => {
        if (details.nodeId !== v2.id) return;
        listener.dispose();
        resolve(details);
      });
    });
    await ext.hubs.view.reveal(v2, { select: true, focus: true });
    const details = await rendered;
    const seeded = emu.seed.items.find((candidate) => candidate.id === emu.seed.ids.items.towerRvt)!.versions[1];
    assert.equal(details.title, 'Tower.rvt');
    assert.equal(details.subtitle, 'Version 2');
    assert.ok(details.thumbnail && 'image' in details.thumbnail && details.thumbnail.image.startsWith('data:image/png;base64,'));
    const field = (label: string) => details.fields.find((candidate) => candidate.label === label)?.value;
    assert.equal(field('Version ID'), seeded.id);
    assert.equal(field('Item ID'), emu.seed.ids.items.towerRvt);
    assert.match(field('Size')!, new RegExp(`\\(${(3 * 1024 * 1024 + 4099).toLocaleString()} bytes\\)$`));
    assert.match(field('Created')!, / by Dana Demo$/);
    assert.equal(field('Process state'), 'PROCESSING_COMPLETE');
    assert.equal(field('Storage'), `urn:adsk.objects:os.object:${seeded.storage}`);
    assert.deepEqual(details.versions?.map((row) => [row.number, row.current]), [['v3', false], ['v2', true], ['v1', false]]);
    const html = ext.details.html();
    assert.match(html, /<img class="thumbnail" src="data:image\/png;base64,/);
    assert.match(html, /<tr class="current" aria-current="true"><td>v2<\/td>/);
    assert.match(html, /default-src 'none'; img-src data:/);

    const sheet = await walk(ext, 'Emulator BIM 360 Account', 'Tower', 'Plans', 'A-102 ELEVATIONS');
    const sheetDetails = await vscode.commands.executeCommand<Details>('apsExplorer.showDetails', sheet);
    assert.equal(sheetDetails.fields.find((candidate) => candidate.label === 'Size')?.value, 'no file of its own (a sheet)');
    const hub = await vscode.commands.executeCommand<Details>('apsExplorer.showDetails', (await children(ext))[0]);
    assert.equal(hub.fields[0].label, 'Hub ID');
    assert.equal(ext.details.current, hub);
  });

  it('opens the Autodesk Docs page of a project, folder, file and version, and says when there is none', async () => {
    const opened: string[] = [];
    prompts.onOpenExternal = async (url) => {
      opened.push(url);
      return true;
    };
    try {
      const towerItem = await itemNode(emu, ext, emu.seed.ids.items.towerRvt);
      assert.ok(contextFlags(ext, towerItem).includes('weblink'));
      const itemLink = await vscode.commands.executeCommand<string>('apsExplorer.openInDocs', towerItem);
      assert.match(itemLink, /^https:\/\/docs\.b360\.autodesk\.com\/projects\/[0-9a-f-]+\/folders\/.+\/detail\/viewer\/items\/urn%3Aadsk\.wipprod%3Adm\.lineage%3A/);
      const accProject = await walk(ext, 'Emulator ACC Account', 'Hospital');
      const projectLink = await vscode.commands.executeCommand<string>('apsExplorer.openInDocs', accProject);
      assert.equal(projectLink, `https://acc.autodesk.com/docs/files/projects/${emu.seed.ids.accProject.slice(2)}`);
      const [tip] = await children(ext, towerItem);
      const versionLink = await vscode.commands.executeCommand<string>('apsExplorer.openInDocs', tip);
      assert.match(versionLink, /viewer\/items\/urn%3Aadsk\.wipprod%3Afs\.file%3A.+%3Fversion%3D3$/);
      assert.deepEqual(opened, [itemLink, projectLink, versionLink]);
      const hub = (await children(ext))[0];
      assert.ok(!contextFlags(ext, hub).includes('weblink'));
      assert.equal(await vscode.commands.executeCommand('apsExplorer.openInDocs', hub), undefined);
      assert.match(prompts.notifications.at(-1)!.message, /Fusion and personal hubs have no Autodesk Docs pages/);
    } finally {
      prompts.onOpenExternal = async () => false;
    }
  });
});
