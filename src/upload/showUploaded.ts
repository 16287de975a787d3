import type * as vscode from 'vscode';
import type { DataManagementClient } from '../core/dm/dataManagement';
import { locateIds } from '../core/remote/locate';
import type { UploadJobPlan } from '../jobs/jobRecord';
import type { HubsModel } from '../tree/hubsModel';
import { isContainer, nodeId, type TreeNode } from '../tree/nodes';

export interface UploadTree {
  model: HubsModel;
  view: vscode.TreeView<TreeNode>;
  dm: () => DataManagementClient | undefined;
}

/**
 * After an upload ran: the target folder reloads in the Hubs tree (new files, versions and folders show), and
 * the one file of a single-file upload is revealed and selected there, without taking the focus.
 */
export async function showUploaded(tree: UploadTree, plan: UploadJobPlan): Promise<void> {
  const folder = tree.model.node(nodeId.folder(plan.target.folderId));
  if (folder && isContainer(folder)) tree.model.refresh(folder);
  const files = plan.upload?.files ?? [];
  const made = files.length === 1 ? files[0].result : undefined;
  const dm = tree.dm();
  if (!made || !dm) return;
  const node = await tree.model.materialize(await locateIds(dm, { projectId: plan.target.projectId, itemId: made.itemId }));
  await tree.view.reveal(node, { select: true, focus: false, expand: false });
}
