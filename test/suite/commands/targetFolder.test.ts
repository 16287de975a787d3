import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompts } from '../../../src/ui/prompts';
import { chooseTargetRoot } from '../../../src/workspace/targetFolder';
import { setSetting } from '../support/harness';

const folder = (path: string, index: number): vscode.WorkspaceFolder => ({ uri: vscode.Uri.file(path), name: `folder ${index}`, index });

describe('Where downloads go', () => {
  const one = mkdtempSync(join(tmpdir(), 'aps-target-a-'));
  const two = mkdtempSync(join(tmpdir(), 'aps-target-b-'));

  it('asks which folder in a multi-root workspace', async () => {
    const prompts = new ScriptedPrompts(['folder 1']);
    const root = await chooseTargetRoot(prompts, { folders: [folder(one, 0), folder(two, 1)], isTrusted: true });
    assert.deepEqual(prompts.asked, ['Download into which workspace folder?']);
    assert.equal(root?.folder, two);
    assert.equal(root?.root, join(two, 'aps'));
  });

  it('offers to choose a folder when none is open, and writes only below the chosen one', async () => {
    const prompts = new ScriptedPrompts([one]);
    prompts.onNotify = (notification) => notification.buttons.find((button) => button.startsWith('Choose Folder'));
    const root = await chooseTargetRoot(prompts, { folders: undefined, isTrusted: true });
    assert.match(prompts.notifications[0].message, /none is open/);
    assert.deepEqual(prompts.notifications[0].buttons, ['Choose Folder…', 'Open Folder…']);
    assert.equal(root?.folder, one);
    assert.equal(root?.root, join(one, 'aps'));
  });

  it('writes nothing when no folder is open and the user dismisses the offer', async () => {
    const prompts = new ScriptedPrompts();
    assert.equal(await chooseTargetRoot(prompts, { folders: [], isTrusted: true }), undefined);
    assert.equal(prompts.notifications.length, 1);
  });

  it('refuses to download into an untrusted workspace, pointing to Workspace Trust', async () => {
    const prompts = new ScriptedPrompts();
    assert.equal(await chooseTargetRoot(prompts, { folders: [folder(one, 0)], isTrusted: false }), undefined);
    assert.equal(prompts.notifications[0].level, 'warning');
    assert.match(prompts.notifications[0].message, /Restricted Mode/);
    assert.deepEqual(prompts.notifications[0].buttons, ['Manage Workspace Trust']);
  });

  it('refuses a download folder setting that points outside the workspace folder', async () => {
    await setSetting('downloadFolder', '../escape');
    try {
      const prompts = new ScriptedPrompts();
      assert.equal(await chooseTargetRoot(prompts, { folders: [folder(one, 0)], isTrusted: true }), undefined);
      assert.equal(prompts.notifications[0].level, 'error');
      assert.match(prompts.notifications[0].message, /points outside/);
    } finally {
      await setSetting('downloadFolder', undefined);
    }
  });
});
