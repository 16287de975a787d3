/**
 * Which seeded versions have Model Derivative output, and whether a thumbnail of it exists.
 *
 * ready: derivatives and a PNG thumbnail; pending: translation still running (the thumbnail call says
 * it is being generated); failed: derivatives were attempted but have no thumbnail (404); none: a type
 * Model Derivative does not translate (text, images): the version carries no `derivatives` or
 * `thumbnails` relationship and BIM 360 reports `extractionState: UNSUPPORTED`.
 */
import { seed, type SeedVersion } from '../seed';

export type DerivativeState = 'ready' | 'pending' | 'failed' | 'none';

/** Source types with viewables (a subset of Model Derivative's `thumbnail` input formats). */
const TRANSLATED = new Set(['rvt', 'dwg', 'dxf', 'nwd', 'ifc', 'f3d', 'pdf']);

const STATE_BY_ITEM: Record<string, DerivativeState> = {
  [seed.ids.items.accUnprocessedDwg]: 'pending',
  [seed.ids.items.coordinationNwd]: 'failed',
};

export function derivativeState(version: SeedVersion): DerivativeState {
  const special = STATE_BY_ITEM[version.itemId];
  if (special) return special;
  if (version.kind === 'document') return 'ready';
  return version.fileType && TRANSLATED.has(version.fileType) ? 'ready' : 'none';
}
