/** APS's published per-app, per-endpoint budgets (requests per minute), keyed by route name. */
export const APS_RATE_LIMITS: Record<string, number> = {
  'auth.token': 500,
  'auth.authorize': 500,
  'auth.revoke': 100,
  'project.hubs': 50,
  'project.hub': 50,
  'project.projects': 50,
  'project.project': 50,
  'project.projectHub': 50,
  'project.topFolders': 300,
  'data.folder': 300,
  'data.folderContents': 300,
  'data.folderSearch': 300,
  'data.folderParent': 50,
  'data.item': 300,
  'data.itemTip': 50,
  'data.itemParent': 50,
  'data.itemVersions': 800,
  'data.version': 300,
  'data.versionItem': 50,
  'data.versionDownloadFormats': 50,
  'data.versionDownloads': 50,
  'data.createDownload': 50,
  'data.job': 300,
  'data.download': 300,
  'data.createStorage': 300,
  'data.createItem': 50,
  'data.createVersion': 300,
  'data.createFolder': 50,
  'bim360.createExport': 100,
  'bim360.export': 1000,
};

/** One overall OSS budget per app across all OSS endpoints. */
export const OSS_RATE_LIMIT = 1000;

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly budgets: Record<string, number>, private readonly now: () => number) {}

  /** Seconds to wait when over budget, else 0. */
  check(clientId: string, routeName: string): number {
    const bucket = routeName.startsWith('oss.') ? 'oss' : routeName;
    const budget = bucket === 'oss' ? (this.budgets.oss ?? OSS_RATE_LIMIT) : this.budgets[routeName];
    if (budget === undefined) return 0;
    const key = `${clientId}\n${bucket}`;
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= budget) return 0;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }
}
