import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobRecord } from '../jobs/jobRecord';
import type { FolderNode, ItemNode, TreeNode } from '../tree/nodes';
import type { Prompts } from '../ui/prompts';
import { startUpload, type UploadDestination } from '../upload/startUpload';
import { pickEntity } from './pickEntity';
import { requireSignedIn, targetNodes, type TransferCommandContext } from './transferContext';

const isFolder = (node: TreeNode): node is FolderNode => node.kind === 'folder';
const isItem = (node: TreeNode): node is ItemNode => node.kind === 'item';

/**
 * "Upload Files…" and "Upload Folder…" on folders, "Upload New Version…" on files (context menu, or the palette
 * on the tree selection or a folder or file picked in quick picks): local files chosen in the open dialog go to
 * APS as an upload job. "Upload to APS…" on files and folders of VS Code's Explorer asks where they go. Each
 * resolves when its job settled.
 */
export function registerUploadCommands(ctx: TransferCommandContext): vscode.Disposable[] {
  const upload = async (destination: UploadDestination | undefined, choose: (destination: UploadDestination) => vscode.OpenDialogOptions): Promise<JobRecord | undefined> => {
    if (!destination) return undefined;
    return uploadAndWait(ctx, destination, await chooseLocalSources(ctx.prompts(), choose(destination)));
  };
  const openLabel = vscode.l10n.t('Upload');
  const intoFolder = [
    { command: 'apsExplorer.uploadFiles', picker: vscode.l10n.t('APS: Upload Files…'), folders: false, title: (name: string) => vscode.l10n.t('Upload Files to {0}', name) },
    { command: 'apsExplorer.uploadFolder', picker: vscode.l10n.t('APS: Upload Folder…'), folders: true, title: (name: string) => vscode.l10n.t('Upload Folder to {0}', name) },
  ];
  return [
    ...intoFolder.map(({ command, picker, folders, title }) =>
      vscode.commands.registerCommand(command, async (node?: unknown, nodes?: unknown) =>
        upload(await folderTarget(ctx, node, nodes, picker), (folder) => ({ canSelectFiles: !folders, canSelectFolders: folders, canSelectMany: true, openLabel, title: title(nameOf(folder)) })),
      ),
    ),
    vscode.commands.registerCommand('apsExplorer.uploadNewVersion', async (node?: unknown, nodes?: unknown) =>
      upload(await itemTarget(ctx, node, nodes), (item) => {
        const extension = path.extname(nameOf(item)).slice(1);
        return {
          canSelectFiles: true,
          canSelectFolders: false,
          canSelectMany: false,
          openLabel,
          title: vscode.l10n.t('Upload New Version of {0}', nameOf(item)),
          ...(extension ? { filters: { [vscode.l10n.t('{0} files', extension.toUpperCase())]: [extension], [vscode.l10n.t('All files')]: ['*'] } } : {}),
        };
      }),
    ),
    vscode.commands.registerCommand('apsExplorer.uploadToAps', async (uri?: unknown, uris?: unknown) => {
      if (!(await requireSignedIn(ctx))) return undefined;
      // From the palette, files (Windows and Linux dialogs cannot offer files and folders at once; Upload Folder… takes folders).
      const sources = localSourcesOf(uri, uris) ?? (await chooseLocalSources(ctx.prompts(), { canSelectFiles: true, canSelectFolders: false, canSelectMany: true, openLabel, title: vscode.l10n.t('Upload to APS') }));
      if (!sources) return undefined;
      const destination = await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('Upload to APS: choose a folder (or a file, for its next version)'), (node) => isFolder(node) || isItem(node));
      return destination && (isFolder(destination) || isItem(destination)) ? uploadAndWait(ctx, destination, sources) : undefined;
    }),
  ];
}

async function uploadAndWait(ctx: TransferCommandContext, destination: UploadDestination, sources: readonly string[] | undefined): Promise<JobRecord | undefined> {
  const record = sources && (await startUpload(ctx, destination, sources));
  return record && ctx.jobs.manager.settled(record.id);
}

/** The Explorer's selection (its context menu passes the clicked resource and all selected ones). */
function localSourcesOf(uri: unknown, uris: unknown): string[] | undefined {
  const given = (Array.isArray(uris) && uris.length > 0 ? uris : [uri]).filter((candidate): candidate is vscode.Uri => candidate instanceof vscode.Uri && candidate.scheme === 'file');
  return given.length > 0 ? given.map((one) => one.fsPath) : undefined;
}

function nameOf(destination: UploadDestination): string {
  return destination.kind === 'folder' ? destination.folder.name : destination.item.name;
}

/** The folder the command was invoked on or the tree selects, else one picked in quick picks. */
async function folderTarget(ctx: TransferCommandContext, node: unknown, nodes: unknown, title: string): Promise<FolderNode | undefined> {
  if (!(await requireSignedIn(ctx))) return undefined;
  const given = targetNodes(ctx.view, node, nodes);
  const folder = given.find(isFolder);
  if (folder) return folder;
  const file = given.find((candidate) => candidate.kind === 'item' || candidate.kind === 'version');
  if (file && (file.kind === 'item' || file.kind === 'version')) {
    await ctx.prompts().notify('warning', vscode.l10n.t('{0} is a file: uploads go into a folder. Choose its folder, or use Upload New Version… to add a version of it.', file.item.name));
    return undefined;
  }
  const picked = await pickEntity(ctx.model, ctx.prompts(), title, isFolder);
  return picked && isFolder(picked) ? picked : undefined;
}

/** The file (a version stands for its file) the command was invoked on or the tree selects, else one picked. */
async function itemTarget(ctx: TransferCommandContext, node: unknown, nodes: unknown): Promise<ItemNode | undefined> {
  if (!(await requireSignedIn(ctx))) return undefined;
  const given = targetNodes(ctx.view, node, nodes);
  const item = given.find(isItem) ?? given.flatMap((candidate) => (candidate.kind === 'version' ? [candidate.parent] : []))[0];
  if (item) return item;
  const folder = given.find(isFolder);
  if (folder) {
    await ctx.prompts().notify('warning', vscode.l10n.t('{0} is a folder: Upload New Version… adds a version to a file. Use Upload Files… to put files into the folder.', folder.folder.name));
    return undefined;
  }
  const picked = await pickEntity(ctx.model, ctx.prompts(), vscode.l10n.t('APS: Upload New Version…'), isItem);
  return picked && isItem(picked) ? picked : undefined;
}

/** Local paths from the open dialog; without a folder open in the window, first says so and offers to open one. */
export async function chooseLocalSources(
  prompts: Prompts,
  options: vscode.OpenDialogOptions,
  open: readonly vscode.WorkspaceFolder[] = vscode.workspace.workspaceFolders ?? [],
): Promise<string[] | undefined> {
  const [workspace] = open.filter((folder) => folder.uri.scheme === 'file');
  if (!workspace) {
    const choose = vscode.l10n.t('Choose Files…');
    const openFolder = vscode.l10n.t('Open Folder…');
    const choice = await prompts.notify('info', vscode.l10n.t('No folder is open in this window. Choose the files to upload anywhere on this computer, or open your project folder first.'), choose, openFolder);
    if (choice === openFolder) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    if (choice !== choose) return undefined;
  }
  const picked = await prompts.openDialog({ ...options, ...(workspace ? { defaultUri: workspace.uri } : {}) });
  return picked?.length ? picked.map((uri) => uri.fsPath) : undefined;
}
