// A push's plan from its survey and a conflict policy: the upload plan (which folders to make, which file goes
// where as what) and the preview that says exactly that. Pure: nothing is read or written.
import { remoteName } from '../../upload/names';
import type { ConflictChoice, UploadFile, UploadFolder, UploadPlan, UploadTarget } from '../../upload/types';
import { absolutePath, parentOf } from '../manifest';
import { PUSH_FORMAT, type PushConflictPolicy, type PushPlan, type PushPlanFile, type PushPreviewEntry, type PushSummary, type PushSurvey, type SurveyedFile } from './types';

const UPLOAD_CHOICE: Record<PushConflictPolicy, ConflictChoice> = { skip: 'skip', 'keep-both': 'keep-both', overwrite: 'new-version' };

/** A local folder's names as the upload plan's folder path (APS compares them as NFC, ignoring case). */
const segments = (folder: string) => (folder ? folder.split('/').map(remoteName) : []);

export function planPush(survey: PushSurvey, policy: PushConflictPolicy): PushPlan {
  const { root, source } = survey;
  const target: UploadTarget = { projectId: source.projectId, kind: survey.projectKind, folderId: source.folderId ?? '', names: source.names, plansFolder: false };
  const apsFolder = (folder: string) => [...source.names, ...segments(folder)];
  const uploads: UploadFile[] = [];
  const files: PushPlanFile[] = [];
  const inAps: PushPlan['inAps'] = [];
  const behind: PushPlan['behind'] = [];
  const preview: PushPreviewEntry[] = [];
  const counts = { newVersions: 0, newFiles: 0, conflicts: 0, refused: 0, bytes: 0 };
  const sentFrom = new Set<string>();

  for (const folder of survey.folders) {
    if (folder.reason) {
      preview.push({ kind: 'refused', path: `${folder.path}/`, reason: folder.reason });
      counts.refused++;
    } else if (!folder.existingId) preview.push({ kind: 'new-folder', path: folder.path, name: folder.name, folder: apsFolder(parentOf(folder.path)) });
  }

  const send = (file: SurveyedFile, upload: Pick<UploadFile, 'action' | 'name'> & Partial<UploadFile>) => {
    uploads.push({ localPath: absolutePath(root, file.path), size: file.size, mtimeMs: file.mtimeMs, folder: segments(file.folder), state: 'pending', ...upload });
    files.push({ path: file.path, ...(file.itemId && file.mirrored ? { itemId: file.itemId } : {}), ...(file.conflict ? { conflict: file.conflict } : {}) });
    sentFrom.add(file.folder);
    counts.bytes += file.size;
    if (upload.action === 'new-version') counts.newVersions++;
    else counts.newFiles++;
  };
  const newVersion = (file: SurveyedFile, conflict?: ConflictChoice) => {
    // A version keeps the item's name in APS (a new file here named like it in another case takes that name).
    const name = file.tip?.name ?? file.name;
    const from = file.tip?.versionNumber;
    send(file, { action: 'new-version', name, itemId: file.itemId, basedOn: file.tip?.versionId, ...(conflict ? { conflict } : {}) });
    preview.push({ kind: 'new-version', path: file.path, name, ...(from !== undefined ? { from, to: from + 1 } : {}), size: file.size, ...(conflict && file.conflict ? { overwrites: file.conflict } : {}) });
  };
  const newFile = (file: SurveyedFile, name: string, conflict?: ConflictChoice) => {
    send(file, { action: 'new-item', name, ...(conflict ? { conflict } : {}) });
    preview.push({ kind: 'new-file', path: file.path, name, folder: apsFolder(file.folder), size: file.size, ...(conflict && file.conflict ? { keptBoth: file.conflict } : {}) });
  };

  for (const file of survey.files) {
    switch (file.change) {
      case 'new-version':
        newVersion(file);
        break;
      case 'new-file':
        newFile(file, file.name);
        break;
      case 'in-aps':
        inAps.push({ path: file.path, record: file.record! });
        preview.push({ kind: 'in-aps', path: file.path, ...(file.record?.versionNumber !== undefined ? { versionNumber: file.record.versionNumber } : {}) });
        break;
      case 'refused':
        preview.push({ kind: 'refused', path: file.path, reason: file.reason ?? '' });
        counts.refused++;
        break;
      case 'conflict':
        if (policy === 'skip') {
          preview.push({ kind: 'conflict', path: file.path, conflict: file.conflict!, ...versionsOf(file) });
          counts.conflicts++;
          if (file.conflict === 'remote-newer' && file.tip) {
            const { versionId, versionNumber, size } = file.tip;
            behind.push({ path: file.path, version: { versionId, ...(versionNumber !== undefined ? { versionNumber } : {}), size: size ?? 0 } });
          }
        } else if (policy === 'keep-both') newFile(file, file.keepBothName ?? file.name, 'keep-both');
        else if (file.conflict === 'remote-removed') newFile(file, file.name, 'new-version');
        else newVersion(file, 'new-version');
    }
  }
  for (const at of survey.deletedHere) preview.push({ kind: 'deleted-here', path: at });
  for (const { path: at, reason } of survey.ignored) preview.push({ kind: 'ignored', path: at, reason });

  const folders = uploadFolders(survey, sentFrom, root);
  const summary: PushSummary = {
    newVersions: counts.newVersions,
    newFiles: counts.newFiles,
    newFolders: folders.filter((folder) => !folder.existing).length,
    bytes: counts.bytes,
    conflicts: counts.conflicts,
    refused: counts.refused,
    inAps: inAps.length,
    deletedHere: survey.deletedHere.length,
  };
  const upload: UploadPlan = {
    version: 1,
    target,
    conflict: UPLOAD_CHOICE[policy],
    folders,
    files: uploads,
    summary: { files: uploads.length, bytes: counts.bytes, newItems: counts.newFiles, newVersions: counts.newVersions, newFolders: summary.newFolders, skipped: 0, refused: 0 },
  };
  return { format: PUSH_FORMAT, version: 1, root, source, policy, upload, files, inAps, behind, preview, summary };
}

/**
 * The upload plan's folders, parents first: each new one (made, or reused when APS has one of that name now)
 * and every folder on the way to a file or a new folder, with the APS folder the mirror recorded for it.
 */
function uploadFolders(survey: PushSurvey, sentFrom: ReadonlySet<string>, root: string): UploadFolder[] {
  const known = new Map(survey.folders.filter((folder) => !folder.reason).map((folder) => [folder.path, folder]));
  const needed = new Set<string>();
  const need = (folder: string) => {
    for (let at = folder; at !== '' && !needed.has(at); at = parentOf(at)) needed.add(at);
  };
  for (const folder of known.keys()) need(folder);
  for (const folder of sentFrom) need(folder);
  return [...needed]
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))
    .map((at): UploadFolder => {
      const added = known.get(at);
      const id = added ? added.existingId : survey.mirroredFolders[at];
      return { path: segments(at), localPath: absolutePath(root, at), existing: !added || added.existingId !== undefined, ...(id ? { id } : {}) };
    });
}

function versionsOf(file: SurveyedFile): { here?: number; there?: number } {
  return { ...(file.mirrored?.versionNumber !== undefined ? { here: file.mirrored.versionNumber } : {}), ...(file.tip?.versionNumber !== undefined ? { there: file.tip.versionNumber } : {}) };
}
