// Is a file text a diff editor can show? First by its extension, then by a look at its first bytes
// (a .dxf can be binary; an unknown extension can be text).

export type Textness = 'text' | 'binary' | 'unknown';

/** How many leading bytes `looksLikeText` needs to decide. */
export const SNIFF_BYTES = 8192;

// Design data formats that are text (IFC and STEP are ISO 10303-21 text; DXF usually, but see above).
const TEXT = new Set([
  'txt', 'csv', 'tsv', 'json', 'geojson', 'xml', 'ifc', 'ifcxml', 'dxf', 'step', 'stp', 'iges', 'igs', 'obj', 'mtl', 'gltf', 'svg', 'gbxml', 'kml', 'bcfv',
  'md', 'html', 'htm', 'yaml', 'yml', 'ini', 'cfg', 'log', 'sql', 'lsp', 'scr', 'py', 'js', 'ts', 'cs', 'vb', 'ps1', 'sh', 'bat',
]);
const BINARY = new Set([
  'rvt', 'rfa', 'rte', 'rft', 'dwg', 'dwt', 'dwf', 'dwfx', 'nwd', 'nwc', 'nwf', 'f3d', 'f2d', 'ipt', 'iam', 'idw', 'ipn', 'max', 'fbx', '3ds', 'skp', 'rcp', 'rcs',
  'pdf', 'png', 'jpg', 'jpeg', 'gif', 'bmp', 'tif', 'tiff', 'zip', 'bcf', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'glb', 'bin', 'exe', 'dll',
]);

export function textnessByName(name: string): Textness {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (TEXT.has(extension)) return 'text';
  if (BINARY.has(extension)) return 'binary';
  return 'unknown';
}

/**
 * The first bytes of a file look like text: a UTF-16 byte-order mark, or no NUL byte, valid UTF-8 and
 * hardly any control characters other than tabs, line breaks, form feeds and escapes.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) control++;
  }
  if (control > head.length / 50) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Text by its name unless its bytes say otherwise; binary when the name says so (no bytes needed). */
export function isTextLike(name: string, firstBytes: Uint8Array): boolean {
  return textnessByName(name) !== 'binary' && looksLikeText(firstBytes);
}
