// Trees of folders and files built in an emulator for mirror tests (unit, CLI and extension host alike).
import type { AddedFile, RunningEmulator } from '../../emulator';

/** Files (name → sizes of its versions, oldest first) and folders (name → their own spec). */
export interface TreeSpec {
  [name: string]: number[] | TreeSpec;
}

export interface BuiltTree {
  folderId: string;
  /** Every file by its path of names below the tree's folder. */
  files: Map<string, AddedFile>;
  folders: Map<string, string>;
}

let trees = 0;

/** A new folder in Tower/Project Files (named `name`, default "Mirror <n>") holding `spec`. */
export function buildTree(emulator: RunningEmulator, spec: TreeSpec, options: { bucketKey?: string; name?: string } = {}): BuiltTree & { name: string } {
  const { seed } = emulator;
  const projectId = seed.ids.bim360Project;
  const name = options.name ?? `Mirror ${++trees}`;
  const built = { name, folderId: '', files: new Map(), folders: new Map() } as BuiltTree & { name: string };
  const build = (parentId: string, names: string[], at: TreeSpec) => {
    for (const [entry, value] of Object.entries(at)) {
      const here = [...names, entry].join('/');
      if (Array.isArray(value)) built.files.set(here, emulator.addFile({ projectId, folderId: parentId, name: entry, sizes: value, bucketKey: options.bucketKey }));
      else {
        const folderId = emulator.addFolder({ projectId, parentId, name: entry });
        built.folders.set(here, folderId);
        build(folderId, [...names, entry], value);
      }
    }
  };
  built.folderId = emulator.addFolder({ projectId, parentId: seed.ids.folders.bim360ProjectFiles, name });
  build(built.folderId, [], spec);
  return built;
}

