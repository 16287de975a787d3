// `aps-explorer ls [<remote>]`: what a hub, project, folder or item holds.
import type { ApsClient } from '../core/client';
import type { FolderEntry, Hub, Project, Version } from '../core/dm/models';
import { formatBytes, formatDate } from '../core/format';
import { formatNamesPath } from '../core/remote/address';
import { locateRemote, namesOf } from '../core/remote/locate';
import { ENVIRONMENT_HELP } from './connect';
import { table, type Output } from './output';

export const REMOTE_HELP = `<remote> is
  a path of names as the APS view shows them: "Hub/Project/Folder/.../File"
    (a "/" inside a name is written "\\/")
  a hub, project, folder, item or version ID or URN
  a BIM 360 or ACC web link`;

export const LS_HELP = `Usage: aps-explorer ls [<remote>] [options]

Lists your hubs (without <remote>), a hub's projects, a project's top folders, a folder's
contents, or a file's versions (newest first).

${REMOTE_HELP}

Options:
  --json            the entries as one JSON array on stdout
  --base-url URL    another API origin (default: $APS_BASE_URL, else APS)
  -h, --help        this help

${ENVIRONMENT_HELP}`;

export interface ListedEntry {
  type: 'hub' | 'project' | 'folder' | 'file' | 'version';
  id: string;
  name: string;
  /** Names path of hubs, projects, folders and files (what `ls` and `download` take). */
  path?: string;
  size?: number;
  modified?: string;
  version?: number;
}

export async function runLs(client: ApsClient, remote: string | undefined, output: Output, signal: AbortSignal): Promise<void> {
  const entries = await list(client, remote, signal);
  output.document(entries);
  if (output.json) return;
  if (entries.length === 0) output.note('(empty)');
  else for (const line of table(entries.map(row))) output.line(line);
}

async function list(client: ApsClient, remote: string | undefined, signal: AbortSignal): Promise<ListedEntry[]> {
  const { dm } = client;
  if (!remote?.replace(/\//g, '')) return (await dm.listHubs({ signal })).hubs.map((hub) => ofHub(hub));
  const at = await locateRemote(dm, remote, signal);
  const under = namesOf(at);
  if (at.version) return [ofVersion(at.version)];
  if (at.item) return (await dm.listVersions(at.item.projectId, at.item.id, { signal })).map(ofVersion);
  const folder = at.folders?.at(-1);
  if (at.project && folder) return (await dm.listFolderContents(at.project.id, folder.id, { signal })).map((entry) => ofEntry(entry, under));
  if (at.project) return (await dm.topFolders(at.hub.id, at.project.id, { signal })).map((entry) => ofEntry(entry, under));
  return (await dm.listProjects(at.hub.id, { signal })).map((project) => ofProject(project, under));
}

function ofHub(hub: Hub): ListedEntry {
  return { type: 'hub', id: hub.id, name: hub.name, path: formatNamesPath([hub.name]) };
}

function ofProject(project: Project, under: string[]): ListedEntry {
  return { type: 'project', id: project.id, name: project.name, path: formatNamesPath([...under, project.name]) };
}

function ofEntry(entry: FolderEntry, under: string[]): ListedEntry {
  const path = formatNamesPath([...under, entry.name]);
  const modified = entry.lastModifiedTime ?? entry.createTime;
  if (entry.type === 'folders') return { type: 'folder', id: entry.id, name: entry.name, path, ...(modified ? { modified } : {}) };
  const size = entry.tip?.storageSize;
  return { type: 'file', id: entry.id, name: entry.name, path, ...(size !== undefined ? { size } : {}), ...(modified ? { modified } : {}), ...(entry.tip?.versionNumber ? { version: entry.tip.versionNumber } : {}) };
}

function ofVersion(version: Version): ListedEntry {
  const modified = version.lastModifiedTime ?? version.createTime;
  return {
    type: 'version',
    id: version.id,
    name: version.name,
    ...(version.storageSize !== undefined ? { size: version.storageSize } : {}),
    ...(modified ? { modified } : {}),
    ...(version.versionNumber !== undefined ? { version: version.versionNumber } : {}),
  };
}

function row(entry: ListedEntry): string[] {
  const label = entry.type === 'version' ? `v${entry.version ?? '?'}` : entry.type;
  return [label, entry.type === 'folder' ? `${entry.name}/` : entry.name, formatBytes(entry.size), formatDate(entry.modified), entry.id];
}
