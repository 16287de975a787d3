import * as vscode from 'vscode';
import type { JobRecord } from '../jobs/jobRecord';
import type { TreeNode } from '../tree/nodes';
import type { Prompts } from '../ui/prompts';
import { droppedSources } from './droppedSources';
import { uploadDestination, type UploadDestination } from './startUpload';

/** The Hubs tree's own drag (its nodes): dropping them onto the tree does nothing. */
const OWN_TREE = 'application/vnd.code.tree.apsexplorer.hubs';

export type StartUpload = (destination: UploadDestination, sources: readonly string[], stagedIn?: string) => Promise<JobRecord | undefined>;

/**
 * Drops onto the Hubs tree: files and folders from VS Code's Explorer or the operating system, onto a folder
 * (uploaded into it) or a file (one file, its next version).
 */
export class HubsDropController implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dropMimeTypes = ['files', 'text/uri-list'];
  readonly dragMimeTypes: readonly string[] = [];

  constructor(
    private readonly start: StartUpload,
    private readonly prompts: () => Prompts,
    /** Where files that arrive as bytes only are written before they are uploaded. */
    private readonly stageRoot: string,
  ) {}

  async handleDrop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer, token?: vscode.CancellationToken): Promise<void> {
    await this.drop(target, dataTransfer, token);
  }

  /** handleDrop's work: resolves to the upload job once it started (or undefined, after saying why not). */
  async drop(target: TreeNode | undefined, dataTransfer: vscode.DataTransfer, token?: vscode.CancellationToken): Promise<JobRecord | undefined> {
    let ownTreeOnly = true;
    dataTransfer.forEach((_item, mimeType) => (ownTreeOnly &&= mimeType === OWN_TREE));
    if (ownTreeOnly) return undefined;
    const destination = uploadDestination(target);
    if (typeof destination === 'string') {
      void this.prompts().notify('warning', destination);
      return undefined;
    }
    const { paths, stagedIn, problems } = await droppedSources(dataTransfer, this.stageRoot);
    if (token?.isCancellationRequested) return undefined;
    // Said without waiting for the notification to close: the rest of the drop goes on.
    if (problems.length) void this.prompts().notify('warning', problems.join(' '));
    if (paths.length === 0 && problems.length) return undefined;
    return this.start(destination, paths, stagedIn);
  }
}
