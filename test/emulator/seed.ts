/**
 * The emulator's fixture: one demo app, three users, a personal hub, a BIM 360 account hub and an ACC
 * account hub, with projects, folders, items, versions and storage objects. Everything here is
 * deterministic: ids are derived from readable labels, object bytes from `seed` numbers.
 *
 * Tests reach what they need through `seed.ids` (named handles) and `seed.objects`.
 */
import { createHash } from 'node:crypto';
import { DOOR_SCHEDULE_CSV, FRAME_IFC, TITLE_BLOCK_DXF } from './seedTexts';

export type HubKind = 'personal' | 'bim360' | 'acc';
/** Where a hub's data lives (APS lists US, EMEA, AUS, CAN, DEU, IND, JPN, GBR; the seed uses three). */
export type HubRegion = 'US' | 'EMEA' | 'AUS';
export type ProjectType = 'BIM360' | 'ACC';
/**
 * admin: everything; member: everything except folders restricted to others; limited: only folders
 * granted to them; noAccess: the project is listed and readable, but topFolders and all Data calls → 403;
 * viewer: reads what a member reads, writes nothing (POST storage, items, versions, folders → 403).
 */
export type ProjectRole = 'admin' | 'member' | 'limited' | 'noAccess' | 'viewer';

export interface SeedUser {
  /** Autodesk user id: the `x-user-id` value, the `userid` token claim and userinfo `sub`. */
  id: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  username: string;
}

export interface SeedApp {
  name: string;
  clientId: string;
  /** Absent for a public (PKCE-only) client. */
  clientSecret?: string;
  /**
   * Registered callback URLs, compared exactly, except that a `*` port on a loopback host
   * (127.0.0.1, localhost, [::1]) accepts any port. Real APS compares exactly; the wildcard lets the
   * extension bind an ephemeral loopback port in tests and demos.
   */
  callbackUrls: string[];
}

export interface SeedHub {
  id: string;
  name: string;
  kind: HubKind;
  region: HubRegion;
  /** Users who see the hub; 2-legged tokens see account hubs (bim360/acc) only. */
  memberUserIds: string[];
}

export interface SeedProject {
  id: string;
  hubId: string;
  name: string;
  /** Present for BIM 360 / ACC projects. */
  projectType?: ProjectType;
  rootFolderId: string;
  /** Real top-level folders ("Project Files", "Plans" for BIM 360/ACC). */
  topFolderIds: string[];
  /** Members and their role; a user not listed does not see the project (403 on direct access). */
  members: Record<string, ProjectRole>;
}

export interface SeedFolder {
  id: string;
  projectId: string;
  /** Null for the (hidden) project root folder. */
  parentId: string | null;
  name: string;
  folderType: 'normal' | 'plan';
  hidden: boolean;
  /** Users with role 'limited' who may nevertheless read this folder and its subtree. */
  grantedUserIds?: string[];
  /** When set, only admins and these users may read this folder and its subtree. */
  restrictedToUserIds?: string[];
  createTime: string;
}

export interface SeedStorageObject {
  bucketKey: string;
  objectKey: string;
  size: number;
  /** Content seed for the byte generator. */
  seed: number;
  contentType: string;
  /** When true, signeds3download answers status 'chunked' (an unmerged resumable upload). */
  chunked?: boolean;
  /** Fixed bytes (text files); without it the bytes come from `seed`. */
  content?: Buffer;
}

export interface SeedSheet {
  /** The PDF/DWG/RVT file version the sheet was extracted from. */
  sourceVersionId: string;
  sourceFileType: 'pdf' | 'dwg' | 'rvt';
  viewableName: string;
  viewableOrder: number;
}

export interface SeedVersion {
  id: string;
  itemId: string;
  versionNumber: number;
  /** File name (or sheet title for sheet Documents). */
  name: string;
  fileType?: string;
  mimeType?: string;
  kind: 'file' | 'document';
  /** Storage object key in `seed.objects` (`bucketKey/objectKey`); absent for sheet Documents. */
  storage?: string;
  /** File types offered by downloadFormats (may be empty). */
  downloadFormats: string[];
  sheet?: SeedSheet;
  createTime: string;
  createUserId: string;
}

export interface SeedItem {
  id: string;
  projectId: string;
  folderId: string;
  displayName: string;
  kind: 'file' | 'document';
  hidden: boolean;
  /** Oldest first; the last one is the tip. */
  versions: SeedVersion[];
}

export interface SeedIds {
  users: { demo: string; admin: string; limited: string };
  personalHub: string;
  bim360Hub: string;
  accHub: string;
  personalProject: string;
  bim360Project: string;
  /** A BIM 360 project listed for the demo user whose topFolders and data answer 403 (no Docs access). */
  forbiddenProject: string;
  /** "Archive 2019": the demo user is a viewer there (view-only: uploads, new versions and folders answer 403). */
  bim360ArchiveProject: string;
  accProject: string;
  accSecondProject: string;
  /** A BIM 360 account in EMEA and an ACC account in AUS: their files live in regional buckets. */
  emeaHub: string;
  ausHub: string;
  emeaProject: string;
  ausProject: string;
  folders: {
    personalRoot: string;
    bim360Root: string;
    bim360ProjectFiles: string;
    bim360Plans: string;
    /** Project Files/Level 1/Level 2/Level 3/Level 4 */
    level1: string;
    level2: string;
    level3: string;
    level4: string;
    /** Project Files/Big Folder: 5,000 items. */
    bigFolder: string;
    hostileNames: string;
    transferSizes: string;
    /** Project Files/Confidential: admins only. */
    confidential: string;
    /** Project Files/Deleted Stuff: a hidden (deleted) folder. */
    deletedFolder: string;
    /** Project Files/Schedules: text files with several versions (CSV, IFC) and a binary DXF. */
    schedules: string;
    accRoot: string;
    accProjectFiles: string;
    accPlans: string;
    emeaProjectFiles: string;
    ausProjectFiles: string;
  };
  items: {
    houseDesign: string;
    towerRvt: string;
    siteDwg: string;
    coordinationNwd: string;
    structureIfc: string;
    bracketF3d: string;
    specsPdf: string;
    notesTxt: string;
    logoPng: string;
    deletedDwg: string;
    plansPdf: string;
    sheetA101: string;
    sheetA102: string;
    dwgSheetS201: string;
    levelFourNote: string;
    chunkedUpload: string;
    accPlansPdf: string;
    accSheetA101: string;
    accModelRvt: string;
    accDrawingDwg: string;
    accNotesTxt: string;
    /** An ACC DWG still being processed: ACC exports skip it (partialSuccess); signeds3download says 'chunked'. */
    accUnprocessedDwg: string;
    /** In the EMEA project (bucket wip.dm.emea.2) and the AUS project (wip.dm.aus.2). */
    emeaModelRvt: string;
    ausDrawingDwg: string;
    /** Schedules/Door Schedule.csv: three text versions. */
    doorScheduleCsv: string;
    /** Schedules/Frame.ifc: two text (STEP) versions. */
    frameIfc: string;
    /** Schedules/Title Block.dxf: two binary DXF versions. */
    titleBlockDxf: string;
    /** Transfer-size items, keyed like `seed.ids.objects`. */
    sizes: Record<SizeName, string>;
    hostile: Record<HostileName, string>;
  };
  /** `bucketKey/objectKey` keys into `seed.objects` for the transfer-size objects. */
  objects: Record<SizeName, string>;
  /** A bucket the demo app owns (OSS only, no Docs item points at it), and two objects in it. */
  appBucket: string;
  appObjects: { readme: string; model: string };
}

export type SizeName =
  | 'empty'
  | 'oneByte'
  | 'eightMiBMinus1'
  | 'eightMiB'
  | 'eightMiBPlus1'
  | 'twentyFourMiBPlus1'
  | 'hundredMiB'
  | 'twoFiftySixMiB'
  | 'oneGiB';

export type HostileName = 'dotDotEvil' | 'con' | 'longName' | 'reservedChars' | 'unicode' | 'trailingDot';

export interface Seed {
  credentials: SeedApp;
  /** A second, public client (no secret): PKCE only. */
  publicApp: SeedApp;
  users: SeedUser[];
  hubs: SeedHub[];
  projects: SeedProject[];
  folders: SeedFolder[];
  items: SeedItem[];
  /** Keyed by `bucketKey/objectKey`. */
  objects: Record<string, SeedStorageObject>;
  /** Buckets an app created (bucketKey → owner client id); Docs buckets (wip.dm.*) belong to no app of the seed. */
  bucketOwners: Record<string, string>;
  ids: SeedIds;
  /** Sizes in bytes of the transfer-size objects. */
  sizes: Record<SizeName, number>;
}

const MiB = 1024 * 1024;
const DEMO_CLIENT_ID = 'emuDemoClientId0000000000000000A';
export const BUCKET = 'wip.dm.prod';

/**
 * Docs storage per hub region: the bucket and the URN environment tag. US and EMEA as observed
 * (aps-api.md §0.1: wip.dm.prod / wipprod, wip.dm.emea.2 / wipemea); AUS by analogy (a choice).
 */
export const REGIONAL_DOCS: Record<HubRegion, { bucket: string; env: string }> = {
  US: { bucket: BUCKET, env: 'wipprod' },
  EMEA: { bucket: 'wip.dm.emea.2', env: 'wipemea' },
  AUS: { bucket: 'wip.dm.aus.2', env: 'wipaus' },
};

/** The region whose Docs bucket this is; undefined for buckets that are not Docs storage (app buckets). */
export function regionOfDocsBucket(bucketKey: string): HubRegion | undefined {
  return (Object.keys(REGIONAL_DOCS) as HubRegion[]).find((region) => REGIONAL_DOCS[region].bucket === bucketKey);
}
const BASE_TIME = Date.parse('2024-03-04T09:00:00.000Z');

function digest(label: string): Buffer {
  return createHash('sha1').update(`aps-emulator:${label}`).digest();
}
/** 22 url-safe characters, like the ids APS puts after `co.`, `vf.` and `dm.lineage:`. */
function shortId(label: string): string {
  return digest(label).toString('base64url').slice(0, 22);
}
function uuid(label: string): string {
  const h = digest(label).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function seedNumber(label: string): number {
  return digest(label).readUInt32LE(0);
}
function time(minutes: number): string {
  return new Date(BASE_TIME + minutes * 60_000).toISOString();
}

const MIME: Record<string, string> = {
  rvt: 'application/vnd.autodesk.revit',
  dwg: 'application/acad',
  nwd: 'application/vnd.autodesk.navisworks',
  ifc: 'application/x-step',
  f3d: 'application/vnd.autodesk.fusion360',
  pdf: 'application/pdf',
  txt: 'text/plain',
  png: 'image/png',
  csv: 'text/csv',
  dxf: 'image/vnd.dxf',
  bin: 'application/octet-stream',
};
/** What downloadFormats offers per source type; types with nothing to convert to offer themselves. */
const DOWNLOAD_FORMATS: Record<string, string[]> = {
  rvt: ['dwf', 'ifc', 'nwc'],
  dwg: ['pdf', 'dwf'],
  nwd: ['nwd'],
  ifc: ['ifc'],
  f3d: ['step', 'iges', 'stl'],
  pdf: ['pdf'],
  txt: ['txt'],
  png: ['png'],
  csv: ['csv'],
  dxf: ['dxf'],
  bin: ['bin'],
};

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  return ext in MIME ? ext : 'bin';
}

/** What a version of an uploaded file reports for its name: fileType (its extension), mimeType and downloadFormats. */
export function fileFacts(name: string): { fileType?: string; mimeType: string; downloadFormats: string[] } {
  const dot = name.lastIndexOf('.');
  const given = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const known = extensionOf(name);
  return {
    ...(given ? { fileType: given } : {}),
    mimeType: MIME[known],
    downloadFormats: DOWNLOAD_FORMATS[known] && known !== 'bin' ? DOWNLOAD_FORMATS[known] : [given || 'bin'],
  };
}

class SeedBuilder {
  readonly folders: SeedFolder[] = [];
  readonly items: SeedItem[] = [];
  readonly objects: Record<string, SeedStorageObject> = {};
  private minute = 0;
  /** Where the folders, items and objects built next live. */
  region: HubRegion = 'US';

  private get env(): string {
    return REGIONAL_DOCS[this.region].env;
  }

  folder(projectId: string, parentId: string | null, name: string, extra: Partial<SeedFolder> = {}): string {
    const id = `urn:adsk.${this.env}:fs.folder:co.${shortId(`folder:${projectId}:${parentId}:${name}`)}`;
    this.folders.push({ id, projectId, parentId, name, folderType: 'normal', hidden: false, createTime: time(this.minute++), ...extra });
    return id;
  }

  object(label: string, size: number, ext: string, chunked = false): string {
    const objectKey = `${uuid(`object:${label}`)}.${ext}`;
    const bucketKey = REGIONAL_DOCS[this.region].bucket;
    const key = `${bucketKey}/${objectKey}`;
    this.objects[key] = { bucketKey, objectKey, size, seed: seedNumber(`bytes:${label}`), contentType: 'application/octet-stream', ...(chunked ? { chunked } : {}) };
    return key;
  }

  /** A file item with `sizes.length` versions (oldest first). */
  file(projectId: string, folderId: string, name: string, sizes: number[], userId: string, extra: { hidden?: boolean; chunked?: boolean; names?: string[] } = {}): string {
    const lineage = shortId(`item:${projectId}:${folderId}:${name}`);
    const id = `urn:adsk.${this.env}:dm.lineage:${lineage}`;
    const versions = sizes.map((size, index): SeedVersion => {
      const versionName = extra.names?.[index] ?? name;
      const ext = extensionOf(versionName);
      const number = index + 1;
      return {
        id: `urn:adsk.${this.env}:fs.file:vf.${lineage}?version=${number}`,
        itemId: id,
        versionNumber: number,
        name: versionName,
        fileType: ext === 'bin' ? undefined : ext,
        mimeType: MIME[ext],
        kind: 'file',
        storage: this.object(`${id}:v${number}`, size, ext, extra.chunked === true && index === sizes.length - 1),
        downloadFormats: DOWNLOAD_FORMATS[ext] ?? [],
        createTime: time(this.minute++),
        createUserId: userId,
      };
    });
    this.items.push({ id, projectId, folderId, displayName: name, kind: 'file', hidden: extra.hidden ?? false, versions });
    return id;
  }

  /** A file whose versions hold these bytes (text files a diff can show), oldest first. */
  contentFile(projectId: string, folderId: string, name: string, contents: Array<string | Buffer>, userId: string): string {
    const id = this.file(projectId, folderId, name, contents.map((content) => Buffer.byteLength(content)), userId);
    const item = this.items[this.items.length - 1];
    item.versions.forEach((version, index) => {
      this.objects[version.storage as string].content = Buffer.from(contents[index]);
    });
    return id;
  }

  /** A sheet Document (no storage) extracted from `sourceVersionId`, shown in Plans. */
  sheet(projectId: string, folderId: string, title: string, source: { versionId: string; fileType: 'pdf' | 'dwg' | 'rvt' }, order: number, userId: string, versionCount = 1): string {
    const lineage = shortId(`sheet:${projectId}:${title}`);
    const id = `urn:adsk.${this.env}:dm.lineage:${lineage}`;
    const versions = Array.from({ length: versionCount }, (_, index): SeedVersion => ({
      id: `urn:adsk.${this.env}:fs.file:vf.${lineage}?version=${index + 1}`,
      itemId: id,
      versionNumber: index + 1,
      name: title,
      kind: 'document',
      downloadFormats: ['pdf'],
      sheet: { sourceVersionId: source.versionId, sourceFileType: source.fileType, viewableName: title, viewableOrder: order },
      createTime: time(this.minute++),
      createUserId: userId,
    }));
    this.items.push({ id, projectId, folderId, displayName: '', kind: 'document', hidden: false, versions });
    return id;
  }

  tipOf(itemId: string): string {
    const item = this.items.find((candidate) => candidate.id === itemId);
    if (!item) throw new Error(`no item ${itemId}`);
    return item.versions[item.versions.length - 1].id;
  }
}

function buildSeed(): Seed {
  const users: SeedUser[] = [
    { id: 'DEMO7USER001', name: 'Dana Demo', givenName: 'Dana', familyName: 'Demo', email: 'dana.demo@example.com', username: 'dana.demo' },
    { id: 'ADMIN7USER01', name: 'Alex Admin', givenName: 'Alex', familyName: 'Admin', email: 'alex.admin@example.com', username: 'alex.admin' },
    { id: 'LIMIT7USER01', name: 'Lee Limited', givenName: 'Lee', familyName: 'Limited', email: 'lee.limited@example.com', username: 'lee.limited' },
  ];
  const [demo, admin, limited] = users.map((user) => user.id);

  const personalHub = `a.${Buffer.from('personal:emulator-dana').toString('base64url')}`;
  const bim360Hub = `b.${uuid('hub:bim360')}`;
  const accHub = `b.${uuid('hub:acc')}`;
  const emeaHub = `b.${uuid('hub:emea')}`;
  const ausHub = `b.${uuid('hub:aus')}`;
  const hubs: SeedHub[] = [
    { id: personalHub, name: "Dana's Hub", kind: 'personal', region: 'US', memberUserIds: [demo] },
    { id: bim360Hub, name: 'Emulator BIM 360 Account', kind: 'bim360', region: 'US', memberUserIds: [demo, admin, limited] },
    { id: accHub, name: 'Emulator ACC Account', kind: 'acc', region: 'US', memberUserIds: [demo, admin] },
    { id: emeaHub, name: 'Emulator EMEA Account', kind: 'bim360', region: 'EMEA', memberUserIds: [demo, admin] },
    { id: ausHub, name: 'Emulator AUS Account', kind: 'acc', region: 'AUS', memberUserIds: [demo, admin] },
  ];

  const personalProject = `a.${Buffer.from('personal:emulator-dana#D20240304').toString('base64url')}`;
  const bim360Project = `b.${uuid('project:bim360:tower')}`;
  const forbiddenProject = `b.${uuid('project:bim360:restricted')}`;
  const bim360ArchiveProject = `b.${uuid('project:bim360:archive')}`;
  const accProject = `b.${uuid('project:acc:hospital')}`;
  const accSecondProject = `b.${uuid('project:acc:bridge')}`;
  const emeaProject = `b.${uuid('project:emea:berlin')}`;
  const ausProject = `b.${uuid('project:aus:sydney')}`;

  const b = new SeedBuilder();

  // Personal hub: the "Download a File" tutorial's shape.
  const personalRoot = b.folder(personalProject, null, 'Demo Project');
  const houseDesign = b.file(personalProject, personalRoot, 'House Design.rvt', [472_424, 472_424 + 4096], demo);

  // BIM 360 project "Tower".
  const bim360Root = b.folder(bim360Project, null, 'root');
  const projectFiles = b.folder(bim360Project, bim360Root, 'Project Files');
  const plans = b.folder(bim360Project, bim360Root, 'Plans', { folderType: 'plan' });
  const level1 = b.folder(bim360Project, projectFiles, 'Level 1');
  const level2 = b.folder(bim360Project, level1, 'Level 2', { grantedUserIds: [limited] });
  const level3 = b.folder(bim360Project, level2, 'Level 3');
  const level4 = b.folder(bim360Project, level3, 'Level 4');
  const bigFolder = b.folder(bim360Project, projectFiles, 'Big Folder');
  const hostileNames = b.folder(bim360Project, projectFiles, 'Hostile Names');
  const transferSizes = b.folder(bim360Project, projectFiles, 'Transfer Sizes');
  const confidential = b.folder(bim360Project, projectFiles, 'Confidential', { restrictedToUserIds: [] });
  const deletedFolder = b.folder(bim360Project, projectFiles, 'Deleted Stuff', { hidden: true });

  const towerRvt = b.file(bim360Project, projectFiles, 'Tower.rvt', [3 * MiB + 17, 3 * MiB + 4099, 3 * MiB + 65_537], demo);
  const siteDwg = b.file(bim360Project, projectFiles, 'Site.dwg', [512 * 1024 + 3, 640 * 1024 + 11], admin);
  const coordinationNwd = b.file(bim360Project, projectFiles, 'Coordination.nwd', [2 * MiB + 5, 2 * MiB + 777], admin);
  const structureIfc = b.file(bim360Project, projectFiles, 'Structure.ifc', [1 * MiB + 1, 1 * MiB + 333], demo);
  const bracketF3d = b.file(bim360Project, projectFiles, 'Bracket.f3d', [200_001, 210_003], demo);
  const specsPdf = b.file(bim360Project, projectFiles, 'Specs.pdf', [150_000, 151_111], admin);
  const notesTxt = b.file(bim360Project, projectFiles, 'Notes.txt', [1_000, 1_500, 2_000], demo);
  const logoPng = b.file(bim360Project, projectFiles, 'Logo.png', [30_000, 31_000], demo);
  const deletedDwg = b.file(bim360Project, projectFiles, 'Old Site.dwg', [100_000], admin, { hidden: true });
  b.file(bim360Project, deletedFolder, 'Scrap.txt', [10], admin);
  const chunkedUpload = b.file(bim360Project, projectFiles, 'Still Uploading.rvt', [20 * MiB + 13], demo, { chunked: true });
  b.file(bim360Project, confidential, 'Salaries.txt', [4_096], admin);
  b.file(bim360Project, level1, 'Level 1 Note.txt', [101], demo);
  b.file(bim360Project, level2, 'Level 2 Note.txt', [202], demo);
  b.file(bim360Project, level3, 'Level 3 Note.txt', [303], demo);
  const levelFourNote = b.file(bim360Project, level4, 'Level 4 Note.txt', [404, 4_040], demo);

  const plansPdf = b.file(bim360Project, plans, 'A-Sheets.pdf', [420_000, 430_000], admin);
  const sheetA101 = b.sheet(bim360Project, plans, 'A-101 FLOOR PLANS', { versionId: b.tipOf(plansPdf), fileType: 'pdf' }, 1, admin, 2);
  const sheetA102 = b.sheet(bim360Project, plans, 'A-102 ELEVATIONS', { versionId: b.tipOf(plansPdf), fileType: 'pdf' }, 2, admin);
  const dwgSheetS201 = b.sheet(bim360Project, plans, 'S-201 FOUNDATIONS', { versionId: b.tipOf(siteDwg), fileType: 'dwg' }, 1, admin);

  const sizes: Record<SizeName, number> = {
    empty: 0,
    oneByte: 1,
    eightMiBMinus1: 8 * MiB - 1,
    eightMiB: 8 * MiB,
    eightMiBPlus1: 8 * MiB + 1,
    twentyFourMiBPlus1: 24 * MiB + 1,
    hundredMiB: 100 * MiB,
    twoFiftySixMiB: 256 * MiB,
    oneGiB: 1024 * MiB,
  };
  const sizeFileNames: Record<SizeName, string> = {
    empty: 'empty.txt',
    oneByte: 'one-byte.txt',
    eightMiBMinus1: '8MiB-minus-1.dwg',
    eightMiB: '8MiB.dwg',
    eightMiBPlus1: '8MiB-plus-1.dwg',
    twentyFourMiBPlus1: '24MiB-plus-1.rvt',
    hundredMiB: '100MiB.nwd',
    twoFiftySixMiB: '256MiB.rvt',
    oneGiB: '1GiB.rvt',
  };
  const sizeItems = {} as Record<SizeName, string>;
  const sizeObjects = {} as Record<SizeName, string>;
  for (const name of Object.keys(sizes) as SizeName[]) {
    sizeItems[name] = b.file(bim360Project, transferSizes, sizeFileNames[name], [sizes[name]], demo);
    const item = b.items[b.items.length - 1];
    sizeObjects[name] = item.versions[0].storage as string;
  }

  const hostileFileNames: Record<HostileName, string> = {
    dotDotEvil: '../../evil.rvt',
    con: 'CON.dwg',
    longName: `${'L'.repeat(296)}.rvt`,
    reservedChars: 'a:b*?.dwg',
    unicode: 'Ünïcødé 设计 📐.dwg',
    trailingDot: 'trailing.',
  };
  const hostile = {} as Record<HostileName, string>;
  for (const name of Object.keys(hostileFileNames) as HostileName[]) {
    hostile[name] = b.file(bim360Project, hostileNames, hostileFileNames[name], [64 + name.length], demo);
  }

  for (let index = 1; index <= 5000; index++) {
    const label = `file-${String(index).padStart(4, '0')}.txt`;
    b.file(bim360Project, bigFolder, label, [(index * 37) % 2048], admin);
  }

  // Other BIM 360 projects.
  const restrictedRoot = b.folder(forbiddenProject, null, 'root');
  const restrictedFiles = b.folder(forbiddenProject, restrictedRoot, 'Project Files');
  const restrictedPlans = b.folder(forbiddenProject, restrictedRoot, 'Plans', { folderType: 'plan' });
  b.file(forbiddenProject, restrictedFiles, 'Secret.rvt', [12_345], admin);
  b.file(forbiddenProject, restrictedPlans, 'Secret Sheets.pdf', [54_321], admin);
  const archiveRoot = b.folder(bim360ArchiveProject, null, 'root');
  const archiveFiles = b.folder(bim360ArchiveProject, archiveRoot, 'Project Files');
  const archivePlans = b.folder(bim360ArchiveProject, archiveRoot, 'Plans', { folderType: 'plan' });
  b.file(bim360ArchiveProject, archiveFiles, 'Old Tower.rvt', [77_777], admin);
  b.file(bim360ArchiveProject, archivePlans, 'Old Sheets.pdf', [88_888], admin);

  // ACC projects.
  const accRoot = b.folder(accProject, null, 'root');
  const accProjectFiles = b.folder(accProject, accRoot, 'Project Files');
  const accPlans = b.folder(accProject, accRoot, 'Plans', { folderType: 'plan' });
  const accModelRvt = b.file(accProject, accProjectFiles, 'Hospital.rvt', [2 * MiB + 9, 2 * MiB + 99], demo);
  const accDrawingDwg = b.file(accProject, accProjectFiles, 'Ward.dwg', [300_007, 310_009], demo);
  const accNotesTxt = b.file(accProject, accProjectFiles, 'Readme.txt', [512], demo);
  const accUnprocessedDwg = b.file(accProject, accProjectFiles, 'Unprocessed.dwg', [6 * MiB + 7], demo, { chunked: true });
  const accPlansPdf = b.file(accProject, accPlans, 'Hospital Sheets.pdf', [380_000, 390_000], admin);
  const accSheetA101 = b.sheet(accProject, accPlans, 'A-101 WARD PLAN', { versionId: b.tipOf(accPlansPdf), fileType: 'pdf' }, 1, admin);
  const accBridgeRoot = b.folder(accSecondProject, null, 'root');
  const accBridgeFiles = b.folder(accSecondProject, accBridgeRoot, 'Project Files');
  const accBridgePlans = b.folder(accSecondProject, accBridgeRoot, 'Plans', { folderType: 'plan' });
  b.file(accSecondProject, accBridgeFiles, 'Bridge.dwg', [222_222], demo);
  b.file(accSecondProject, accBridgePlans, 'Bridge Sheets.pdf', [123_456], demo);

  // Regional accounts: their folders, items and objects carry the region's environment tag and bucket.
  b.region = 'EMEA';
  const emeaRoot = b.folder(emeaProject, null, 'root');
  const emeaProjectFiles = b.folder(emeaProject, emeaRoot, 'Project Files');
  const emeaPlans = b.folder(emeaProject, emeaRoot, 'Plans', { folderType: 'plan' });
  const emeaModelRvt = b.file(emeaProject, emeaProjectFiles, 'Berlin Office.rvt', [1 * MiB + 77, 1 * MiB + 177], demo);
  b.file(emeaProject, emeaPlans, 'Berlin Sheets.pdf', [210_000], admin);
  b.region = 'AUS';
  const ausRoot = b.folder(ausProject, null, 'root');
  const ausProjectFiles = b.folder(ausProject, ausRoot, 'Project Files');
  const ausPlans = b.folder(ausProject, ausRoot, 'Plans', { folderType: 'plan' });
  const ausDrawingDwg = b.file(ausProject, ausProjectFiles, 'Sydney Depot.dwg', [400_009, 410_011], demo);
  b.file(ausProject, ausPlans, 'Depot Sheets.pdf', [160_000], demo);
  b.region = 'US';

  // A bucket of the demo app's own (created through OSS, not Docs).
  const appBucket = 'aps-explorer-emulator-demo-app';
  const appObjects = { readme: `${appBucket}/readme.txt`, model: `${appBucket}/models/bracket.f3d` };
  b.objects[appObjects.readme] = { bucketKey: appBucket, objectKey: 'readme.txt', size: 1_234, seed: seedNumber('bytes:app:readme'), contentType: 'text/plain' };
  b.objects[appObjects.model] = { bucketKey: appBucket, objectKey: 'models/bracket.f3d', size: 300_007, seed: seedNumber('bytes:app:model'), contentType: 'application/octet-stream' };

  // Added last so that the creation times of everything above stay as they were.
  const schedules = b.folder(bim360Project, projectFiles, 'Schedules');
  const doorScheduleCsv = b.contentFile(bim360Project, schedules, 'Door Schedule.csv', DOOR_SCHEDULE_CSV, demo);
  const frameIfc = b.contentFile(bim360Project, schedules, 'Frame.ifc', FRAME_IFC, admin);
  const titleBlockDxf = b.contentFile(bim360Project, schedules, 'Title Block.dxf', TITLE_BLOCK_DXF, admin);

  const projects: SeedProject[] = [
    { id: personalProject, hubId: personalHub, name: 'Demo Project', rootFolderId: personalRoot, topFolderIds: [personalRoot], members: { [demo]: 'admin' } },
    {
      id: bim360Project, hubId: bim360Hub, name: 'Tower', projectType: 'BIM360', rootFolderId: bim360Root, topFolderIds: [projectFiles, plans],
      members: { [demo]: 'member', [admin]: 'admin', [limited]: 'limited' },
    },
    {
      id: forbiddenProject, hubId: bim360Hub, name: 'Restricted Project', projectType: 'BIM360', rootFolderId: restrictedRoot, topFolderIds: [restrictedFiles, restrictedPlans],
      members: { [demo]: 'noAccess', [admin]: 'admin' },
    },
    {
      id: bim360ArchiveProject, hubId: bim360Hub, name: 'Archive 2019', projectType: 'BIM360', rootFolderId: archiveRoot, topFolderIds: [archiveFiles, archivePlans],
      members: { [demo]: 'viewer', [admin]: 'admin' },
    },
    {
      id: accProject, hubId: accHub, name: 'Hospital', projectType: 'ACC', rootFolderId: accRoot, topFolderIds: [accProjectFiles, accPlans],
      members: { [demo]: 'member', [admin]: 'admin' },
    },
    {
      id: accSecondProject, hubId: accHub, name: 'Bridge', projectType: 'ACC', rootFolderId: accBridgeRoot, topFolderIds: [accBridgeFiles, accBridgePlans],
      members: { [demo]: 'member', [admin]: 'admin' },
    },
    {
      id: emeaProject, hubId: emeaHub, name: 'Berlin Office', projectType: 'BIM360', rootFolderId: emeaRoot, topFolderIds: [emeaProjectFiles, emeaPlans],
      members: { [demo]: 'member', [admin]: 'admin' },
    },
    {
      id: ausProject, hubId: ausHub, name: 'Sydney Depot', projectType: 'ACC', rootFolderId: ausRoot, topFolderIds: [ausProjectFiles, ausPlans],
      members: { [demo]: 'member', [admin]: 'admin' },
    },
  ];

  const ids: SeedIds = {
    users: { demo, admin, limited },
    personalHub, bim360Hub, accHub,
    personalProject, bim360Project, forbiddenProject, bim360ArchiveProject, accProject, accSecondProject,
    emeaHub, ausHub, emeaProject, ausProject,
    folders: {
      personalRoot, bim360Root, bim360ProjectFiles: projectFiles, bim360Plans: plans,
      level1, level2, level3, level4, bigFolder, hostileNames, transferSizes, confidential, deletedFolder, schedules,
      accRoot, accProjectFiles, accPlans, emeaProjectFiles, ausProjectFiles,
    },
    items: {
      houseDesign, towerRvt, siteDwg, coordinationNwd, structureIfc, bracketF3d, specsPdf, notesTxt, logoPng, deletedDwg,
      plansPdf, sheetA101, sheetA102, dwgSheetS201, levelFourNote, chunkedUpload,
      accPlansPdf, accSheetA101, accModelRvt, accDrawingDwg, accNotesTxt, accUnprocessedDwg,
      emeaModelRvt, ausDrawingDwg, doorScheduleCsv, frameIfc, titleBlockDxf,
      sizes: sizeItems, hostile,
    },
    objects: sizeObjects,
    appBucket,
    appObjects,
  };

  return {
    credentials: {
      name: 'APS Explorer demo app',
      clientId: DEMO_CLIENT_ID,
      clientSecret: 'emuDemoClientSecret0000000000000',
      callbackUrls: [
        'http://127.0.0.1:*/callback',
        'http://localhost:*/callback',
        'http://[::1]:*/callback',
        'vscode://aps-explorer.aps-explorer/callback',
        'vscode-insiders://aps-explorer.aps-explorer/callback',
      ],
    },
    publicApp: {
      name: 'APS Explorer public (PKCE) app',
      clientId: 'emuPublicClientId000000000000000',
      callbackUrls: ['http://127.0.0.1:*/callback', 'http://localhost:*/callback', 'vscode://aps-explorer.aps-explorer/callback'],
    },
    users, hubs, projects, folders: b.folders, items: b.items, objects: b.objects, bucketOwners: { [appBucket]: DEMO_CLIENT_ID }, ids, sizes,
  };
}

/** The fixture. Treat as read-only; emulator instances copy what they mutate. */
export const seed: Seed = buildSeed();
