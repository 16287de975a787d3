// What a user typed to name something in APS: an ID, a URN, a BIM 360 / ACC web link, or a path of names.
import { parseWebLink, withBPrefix } from '../dm/ids';

/** What the user pasted, sorted into ids. */
export interface RemoteIds {
  hubOrProjectId?: string;
  projectId?: string;
  folderId?: string;
  itemId?: string;
  versionId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids in a hub, project, folder, item or version ID or URN, or a web link; undefined for anything else. */
export function parseRemoteIds(input: string): RemoteIds | undefined {
  const text = input.trim();
  if (!text) return undefined;
  if (/^https?:\/\//i.test(text)) return parseWebLink(text);
  if (/^urn:adsk\.[a-z0-9]+:fs\.file:/i.test(text) || /\?version=\d+$/.test(text)) return { versionId: text };
  if (/^urn:adsk\.[a-z0-9]+:dm\.lineage:/i.test(text)) return { itemId: text };
  if (/^urn:adsk\.[a-z0-9]+:fs\.folder:/i.test(text)) return { folderId: text };
  if (/^[ab]\.[\w-]+$/i.test(text)) return { hubOrProjectId: text };
  if (UUID.test(text)) return { hubOrProjectId: withBPrefix(text) };
  return undefined;
}

/**
 * `Hub/Project/Folder/…/File` as names, as the tree shows them. A `/` inside a name is written `\/`
 * and a backslash `\\`; leading, trailing and doubled slashes are ignored.
 */
export function parseNamesPath(input: string): string[] {
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (char === '\\' && (input[i + 1] === '/' || input[i + 1] === '\\')) current += input[++i];
    else if (char === '/') {
      if (current) names.push(current);
      current = '';
    } else current += char;
  }
  if (current) names.push(current);
  return names;
}

/** The names path of these names (the inverse of parseNamesPath). */
export function formatNamesPath(names: readonly string[]): string {
  return names.map((name) => name.replace(/\\/g, '\\\\').replace(/\//g, '\\/')).join('/');
}
