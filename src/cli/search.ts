// `aps-explorer search <remote> <text>`: files under a project or folder, found by APS's folder search.
import type { ApsClient } from '../core/client';
import { FolderSearch, parseSearchText, searchFailure, type SearchHit, type SearchPage } from '../core/dm/folderSearch';
import { formatBytes, formatDate } from '../core/format';
import { formatNamesPath } from '../core/remote/address';
import { locateRemote, namesOf } from '../core/remote/locate';
import { ENVIRONMENT_HELP } from './connect';
import { UsageError } from './download';
import { REMOTE_HELP } from './ls';
import { table, type Output } from './output';

export const SEARCH_HELP = `Usage: aps-explorer search <remote> <text> [options]

Finds files in a project (all its top folders) or a folder and everything below it, through
APS's folder search: the latest version of each file whose name contains <text>.
<text> may also say
  type:rvt,dwg         file types
  after:2024-03-01     changed on or after that date (UTC)
  before:2024-04-01    changed before that date
  by:dana              created by a user whose name contains that (by:"Alex Admin")
APS serves at most 50 pages of results per folder; when results are cut, a note says so.
Search needs a user: with app credentials set APS_USER_ID (and the data:search scope).

${REMOTE_HELP}

Options:
  --type EXT[,EXT]  only these file types (same as type:)
  --json            the files as one JSON array on stdout
  --base-url URL    another API origin (default: $APS_BASE_URL, else APS)
  -h, --help        this help

${ENVIRONMENT_HELP}`;

export interface FoundFile {
  name: string;
  /** The top folder or folder that was searched. */
  searched: string;
  itemId?: string;
  versionId: string;
  version?: number;
  size?: number;
  modified?: string;
  author?: string;
}

export interface SearchArgs {
  remote: string;
  text: string;
  types?: string;
}

export async function runSearch(client: ApsClient, args: SearchArgs, output: Output, signal: AbortSignal): Promise<void> {
  const { query, problems } = parseSearchText(args.text);
  if (problems.length) throw new UsageError(`Not a date: ${problems.map((problem) => problem.word).join(', ')} (write 2024-03-01).`);
  if (args.types) query.fileTypes = [...(query.fileTypes ?? []), ...args.types.split(',').filter(Boolean)];
  const at = await locateRemote(client.dm, args.remote, signal);
  if (!at.project || at.item || at.version) throw new UsageError('search takes a project or a folder.');
  const folder = at.folders?.at(-1);
  const search = new FolderSearch(client.http);
  const pages = folder
    ? search.folder(at.project.id, { id: folder.id, name: formatNamesPath(namesOf(at)) }, query, { signal })
    : search.project(client.dm, at.hub.id, at.project.id, query, { signal });
  const found: FoundFile[] = [];
  const cut: string[] = [];
  try {
    for await (const page of pages) {
      found.push(...page.hits.map((hit) => foundFile(hit, page)));
      if (page.truncated) cut.push(page.folder.name ?? page.folder.id);
    }
  } catch (error) {
    throw searchFailure(error) === 'other' ? error : new SearchRefused(error);
  }
  output.document(found);
  if (!output.json) {
    if (found.length === 0) output.note('No files found.');
    else for (const line of table(found.map(row))) output.line(line);
  }
  for (const name of cut) output.note(`APS serves at most 50 pages of results: those of ${name} were cut. Narrow the search.`);
}

/** A search APS refused, said as what to do about it. */
export class SearchRefused extends Error {
  constructor(cause: unknown) {
    super(refusalSentence(cause), { cause });
  }
}

function refusalSentence(error: unknown): string {
  switch (searchFailure(error)) {
    case 'needs-user':
      return 'APS searches only as a user: set APS_USER_ID with app credentials, or use a 3-legged APS_ACCESS_TOKEN.';
    case 'needs-scope':
      return 'The credentials lack the data:search scope that APS needs for search.';
    case 'no-access':
      return 'APS refused the search: no access to that project or folder.';
    case 'refused':
      return `APS refused the search filters${error instanceof Error ? ` (${error.message})` : ''}.`;
    default:
      return `APS refused the search${error instanceof Error ? ` (${error.message})` : ''}.`;
  }
}

function foundFile(hit: SearchHit, page: SearchPage): FoundFile {
  const { version } = hit;
  const modified = version.lastModifiedTime ?? version.createTime;
  return {
    name: version.displayName ?? version.name,
    searched: page.folder.name ?? page.folder.id,
    ...(version.itemId ? { itemId: version.itemId } : {}),
    versionId: version.id,
    ...(version.versionNumber !== undefined ? { version: version.versionNumber } : {}),
    ...(version.storageSize !== undefined ? { size: version.storageSize } : {}),
    ...(modified ? { modified } : {}),
    ...(version.createUserName ? { author: version.createUserName } : {}),
  };
}

function row(file: FoundFile): string[] {
  return [`v${file.version ?? '?'}`, file.name, formatBytes(file.size), formatDate(file.modified), file.searched, file.itemId ?? file.versionId];
}
