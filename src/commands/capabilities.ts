import type { PdfExports } from '../core/exports/pdfExports';
import type { Project, Version } from '../core/dm/models';
import type { CapabilityProbe } from '../tree/treeItems';

/**
 * contextValue flags for the transfer menus: downloadable, openable, convertible (not in ACC projects,
 * whose downloads API refuses conversions) and pdfExportable (what the core's export planner accepts).
 */
export function transferCapabilities(exportPlanner: () => PdfExports | undefined): CapabilityProbe {
  return (node) => {
    if (node.kind === 'folder') return ['downloadable'];
    if (node.kind !== 'item' && node.kind !== 'version') return [];
    const version = node.kind === 'version' ? node.version : node.item.tip;
    return version ? versionFlags(node.project, version, exportPlanner()) : ['downloadable'];
  };
}

function versionFlags(project: Project, version: Version, planner: PdfExports | undefined): string[] {
  const flags: string[] = [];
  if (version.storage) flags.push('downloadable', 'openable');
  if (version.storage && project.projectType !== 'ACC') flags.push('convertible');
  if (planner && typeof planner.planExport(project, version) === 'string') flags.push('pdfExportable');
  return flags;
}
