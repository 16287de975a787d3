// Project and Data service calls (aps-api.md §2, §3): hubs, projects, folders, items, versions, conversions.
import { ApsError, isApsError } from '../http/apsError';
import type { HttpClient } from '../http/httpClient';
import { JSON_API_CONTENT_TYPE, asArray, singleResource, type JsonApiDocument, type JsonApiResource } from '../http/jsonApi';
import { pollUntilDone, type PollTiming } from '../jobs/poller';
import { pathSegment, withBPrefix } from './ids';
import { toDownload, toFolder, toFolderEntries, toHub, toHubWarnings, toItem, toProject, toVersion } from './mappers';
import type { Download, DownloadJob, DownloadJobStatus, Folder, FolderEntry, Hub, HubListing, Item, Project, Version } from './models';
import { dedupeResources, fetchAllPages, iteratePages, MAX_PAGE_SIZE, PAGE_LIMIT, type PageDocument } from './paging';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface PageOptions extends CallOptions {
  /** page[limit], 1–200 (default 200). */
  pageSize?: number;
}

export interface ListAllOptions extends PageOptions {
  /** Pages fetched ahead (default 4; 0 = sequential). */
  prefetch?: number;
}

export interface ContentsFilter {
  /** filter[type]: only folders or only items. */
  type?: 'folders' | 'items';
  /** includeHidden: also list deleted BIM 360 content. */
  includeHidden?: boolean;
  /** filter[extension.type] */
  extensionType?: string;
  /**
   * Only entries whose name contains this text (case-insensitive). Applied here rather than by APS, because
   * BIM 360/ACC item displayName is unreliable and the filter grammar of the contents endpoint is undocumented.
   */
  nameContains?: string;
}

export interface TopFoldersOptions extends CallOptions {
  excludeDeleted?: boolean;
  projectFilesOnly?: boolean;
}


export interface ConversionOptions extends CallOptions {
  timing?: Partial<PollTiming>;
  onProgress?(job: DownloadJob): void;
}

const PROJECT = '/project/v1';
const DATA = '/data/v1';

export class DataManagementClient {
  /** APS refused the name filter on folder contents once (400): filter here only from then on. */
  private nameFilterRefused = false;

  constructor(private readonly http: HttpClient) {}

  // ── Hubs and projects ────────────────────────────────────────────────────────────────────────

  async listHubs(options: CallOptions = {}): Promise<HubListing> {
    const document = await this.getDocument<JsonApiResource[]>(`${PROJECT}/hubs`, options);
    return { hubs: asArray(document.data).map(toHub), warnings: toHubWarnings(document.meta) };
  }

  async getHub(hubId: string, options: CallOptions = {}): Promise<Hub> {
    return toHub(await this.getResource(`${PROJECT}/hubs/${pathSegment(withBPrefix(hubId))}`, options));
  }

  projects(hubId: string, options: PageOptions = {}): AsyncGenerator<Project> {
    return this.iterate(this.projectsUrl(hubId, options.pageSize), options, (page) => asArray(page.data).map(toProject));
  }

  async listProjects(hubId: string, options: ListAllOptions = {}): Promise<Project[]> {
    return this.listAll(this.projectsUrl(hubId, options.pageSize), options, (page) => asArray(page.data).map(toProject));
  }

  async getProject(hubId: string, projectId: string, options: CallOptions = {}): Promise<Project> {
    return toProject(await this.getResource(`${PROJECT}/hubs/${pathSegment(withBPrefix(hubId))}/projects/${pathSegment(withBPrefix(projectId))}`, options));
  }

  async topFolders(hubId: string, projectId: string, options: TopFoldersOptions = {}): Promise<Folder[]> {
    const url = this.url(`${PROJECT}/hubs/${pathSegment(withBPrefix(hubId))}/projects/${pathSegment(withBPrefix(projectId))}/topFolders`, {
      excludeDeleted: options.excludeDeleted,
      projectFilesOnly: options.projectFilesOnly,
    });
    const document = await this.getDocument<JsonApiResource[]>(url, options);
    return asArray(document.data).map((resource) => toFolder(resource, withBPrefix(projectId)));
  }

  // ── Folders ──────────────────────────────────────────────────────────────────────────────────

  async getFolder(projectId: string, folderId: string, options: CallOptions = {}): Promise<Folder> {
    return toFolder(await this.getResource(`${this.dataProject(projectId)}/folders/${pathSegment(folderId)}`, options), withBPrefix(projectId));
  }

  /** Folder contents page by page (each item carries its tip version). */
  folderContents(projectId: string, folderId: string, options: PageOptions & ContentsFilter = {}): AsyncGenerator<FolderEntry> {
    const map = this.contentsMapper(projectId, options.nameContains);
    const plain = this.contentsUrl(projectId, folderId, { ...options, nameContains: undefined });
    if (!options.nameContains || this.nameFilterRefused) return this.iterate(plain, options, map);
    return this.iterateWithFallback(this.contentsUrl(projectId, folderId, options), plain, options, map);
  }

  /** The whole folder in server order, fetching pages ahead in parallel. */
  async listFolderContents(projectId: string, folderId: string, options: ListAllOptions & ContentsFilter = {}): Promise<FolderEntry[]> {
    const map = this.contentsMapper(projectId, options.nameContains);
    const plain = this.contentsUrl(projectId, folderId, { ...options, nameContains: undefined });
    if (!options.nameContains || this.nameFilterRefused) return this.listAll(plain, options, map);
    try {
      return await this.listAll(this.contentsUrl(projectId, folderId, options), options, map);
    } catch (error) {
      if (!isFilterRefusal(error)) throw error;
      this.nameFilterRefused = true;
      return this.listAll(plain, options, map);
    }
  }

  // ── Items and versions ───────────────────────────────────────────────────────────────────────

  async getItem(projectId: string, itemId: string, options: CallOptions = {}): Promise<Item> {
    const document = await this.getDocument<JsonApiResource | JsonApiResource[]>(`${this.dataProject(projectId)}/items/${pathSegment(itemId)}`, options);
    const resource = this.single(document);
    const pid = withBPrefix(projectId);
    const tipResource = (document.included ?? []).find((r) => r.type === 'versions');
    return toItem(resource, pid, tipResource ? toVersion(tipResource, pid) : undefined);
  }

  async getTip(projectId: string, itemId: string, options: CallOptions = {}): Promise<Version> {
    return toVersion(await this.getResource(`${this.dataProject(projectId)}/items/${pathSegment(itemId)}/tip`, options), withBPrefix(projectId));
  }

  /** Versions newest first, page by page. */
  versions(projectId: string, itemId: string, options: PageOptions = {}): AsyncGenerator<Version> {
    return this.iterate(this.versionsUrl(projectId, itemId, options.pageSize), options, (_page, fresh) => fresh.map((r) => toVersion(r, withBPrefix(projectId))));
  }

  listVersions(projectId: string, itemId: string, options: ListAllOptions = {}): Promise<Version[]> {
    return this.listAll(this.versionsUrl(projectId, itemId, options.pageSize), options, (_page, fresh) => fresh.map((r) => toVersion(r, withBPrefix(projectId))));
  }

  async getVersion(projectId: string, versionId: string, options: CallOptions = {}): Promise<Version> {
    return toVersion(await this.getResource(`${this.dataProject(projectId)}/versions/${pathSegment(versionId)}`, options), withBPrefix(projectId));
  }

  // ── Conversions (downloads) ──────────────────────────────────────────────────────────────────

  /** File types the version can be converted to (may be empty). */
  async downloadFormats(projectId: string, versionId: string, options: CallOptions = {}): Promise<string[]> {
    const resource = await this.getResource(`${this.dataProject(projectId)}/versions/${pathSegment(versionId)}/downloadFormats`, options);
    const formats = (resource.attributes as { formats?: Array<{ fileType?: unknown }> } | undefined)?.formats ?? [];
    return formats.map((format) => format.fileType).filter((fileType): fileType is string => typeof fileType === 'string');
  }

  /** Finished conversions of a version, optionally only of one file type. */
  async listDownloads(projectId: string, versionId: string, options: CallOptions & { fileType?: string | string[] } = {}): Promise<Download[]> {
    const url = this.url(`${this.dataProject(projectId)}/versions/${pathSegment(versionId)}/downloads`, {
      'filter[format.fileType]': Array.isArray(options.fileType) ? options.fileType.join(',') : options.fileType,
    });
    const document = await this.getDocument<JsonApiResource[]>(url, options);
    return asArray(document.data).map((r) => toDownload(r, withBPrefix(projectId)));
  }

  /** Starts a conversion (POST downloads, not retried: it creates a job). */
  async createDownload(projectId: string, versionId: string, fileType: string, options: CallOptions = {}): Promise<DownloadJob> {
    const response = await this.http.request({
      method: 'POST',
      url: `${this.dataProject(projectId)}/downloads`,
      contentType: JSON_API_CONTENT_TYPE,
      json: {
        jsonapi: { version: '1.0' },
        data: {
          type: 'downloads',
          attributes: { format: { fileType } },
          relationships: { source: { data: { type: 'versions', id: versionId } } },
        },
      },
      signal: options.signal,
    });
    const resource = this.single(response.json() as JsonApiDocument<JsonApiResource | JsonApiResource[]>);
    return { id: resource.id, projectId: withBPrefix(projectId), status: jobStatusOf(resource) };
  }

  /** Job state; once finished APS answers 303 to the download, which is fetched and attached. */
  async getDownloadJob(projectId: string, jobId: string, options: CallOptions = {}): Promise<DownloadJob> {
    const pid = withBPrefix(projectId);
    const response = await this.http.request({
      method: 'GET',
      url: `${this.dataProject(projectId)}/jobs/${pathSegment(jobId)}`,
      acceptStatus: [303],
      signal: options.signal,
    });
    if (response.status === 303) {
      const location = headerValue(response.headers.location);
      const download = location
        ? await this.downloadAt(location, pid, options)
        : await this.getDownload(projectId, jobId, options);
      return { id: jobId, projectId: pid, status: 'finished', download };
    }
    const resource = this.single(response.json() as JsonApiDocument<JsonApiResource | JsonApiResource[]>);
    if (resource.type === 'downloads') return { id: jobId, projectId: pid, status: 'finished', download: toDownload(resource, pid) };
    return { id: resource.id, projectId: pid, status: jobStatusOf(resource) };
  }

  async getDownload(projectId: string, downloadId: string, options: CallOptions = {}): Promise<Download> {
    return this.downloadAt(`${this.dataProject(projectId)}/downloads/${pathSegment(downloadId)}`, withBPrefix(projectId), options);
  }

  /** Converts a version and waits for the result (poll ~1 s growing to 10 s). */
  async convert(projectId: string, versionId: string, fileType: string, options: ConversionOptions = {}): Promise<Download> {
    const job = await this.createDownload(projectId, versionId, fileType, options);
    options.onProgress?.(job);
    const done = await pollUntilDone<DownloadJob>({
      poll: (signal) => this.getDownloadJob(projectId, job.id, { signal }),
      classify: (state) => (state.status === 'finished' ? 'succeeded' : state.status === 'failed' ? 'failed' : 'pending'),
      failure: () =>
        new ApsError({
          kind: 'job-failed',
          code: 'CONVERSION_FAILED',
          message: `Conversion of ${versionId} to ${fileType} failed (job ${job.id})`,
          userMessage: `Autodesk could not convert this file to ${fileType.toUpperCase()}.`,
        }),
      onProgress: (state) => options.onProgress?.(state),
      timing: options.timing,
      signal: options.signal,
      what: `Conversion to ${fileType.toUpperCase()}`,
    });
    return done.download as Download;
  }

  // ── Plumbing ─────────────────────────────────────────────────────────────────────────────────

  private dataProject(projectId: string): string {
    return `${DATA}/projects/${pathSegment(withBPrefix(projectId))}`;
  }

  private projectsUrl(hubId: string, pageSize?: number): string {
    return this.url(`${PROJECT}/hubs/${pathSegment(withBPrefix(hubId))}/projects`, { [PAGE_LIMIT]: pageSizeOf(pageSize) });
  }

  // The name filter goes to APS (fewer pages) and is applied again here: APS documents no name filter on folder
  // contents, and where it refuses one (400) the client lists unfiltered and stops asking.
  private contentsMapper(projectId: string, nameContains: string | undefined): (page: PageDocument, fresh: JsonApiResource[]) => FolderEntry[] {
    const matches = nameMatcher(nameContains);
    return (page, fresh) => toFolderEntries(fresh, page.included, withBPrefix(projectId)).filter(matches);
  }

  private contentsUrl(projectId: string, folderId: string, options: PageOptions & ContentsFilter): string {
    return this.url(`${this.dataProject(projectId)}/folders/${pathSegment(folderId)}/contents`, {
      'filter[attributes.displayName]-contains': options.nameContains?.trim() || undefined,
      'filter[type]': options.type,
      'filter[extension.type]': options.extensionType,
      includeHidden: options.includeHidden,
      [PAGE_LIMIT]: pageSizeOf(options.pageSize),
    });
  }

  private versionsUrl(projectId: string, itemId: string, pageSize?: number): string {
    return this.url(`${this.dataProject(projectId)}/items/${pathSegment(itemId)}/versions`, { [PAGE_LIMIT]: pageSizeOf(pageSize) });
  }

  private url(path: string, query: Record<string, string | number | boolean | undefined> = {}): string {
    const url = this.http.resolve(path);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    return url.toString();
  }

  private fetchPage = (url: string, signal?: AbortSignal): Promise<PageDocument> => this.http.getJson<PageDocument>(url, { signal });

  private resolveHref = (href: string): string => this.http.resolve(href).toString();

  private async *iterate<T>(firstUrl: string, options: CallOptions, map: (page: PageDocument, fresh: JsonApiResource[]) => T[]): AsyncGenerator<T> {
    const seen = new Set<string>();
    for await (const page of iteratePages(this.fetchPage, firstUrl, options.signal, this.resolveHref)) {
      yield* map(page, dedupeResources(asArray(page.data), seen));
    }
  }

  // Falls back to the unfiltered listing when APS rejects the filter before anything was yielded.
  private async *iterateWithFallback<T>(filteredUrl: string, plainUrl: string, options: CallOptions, map: (page: PageDocument, fresh: JsonApiResource[]) => T[]): AsyncGenerator<T> {
    let yielded = false;
    try {
      for await (const entry of this.iterate(filteredUrl, options, map)) {
        yielded = true;
        yield entry;
      }
      return;
    } catch (error) {
      if (yielded || !isFilterRefusal(error)) throw error;
      this.nameFilterRefused = true;
    }
    yield* this.iterate(plainUrl, options, map);
  }

  private async listAll<T>(firstUrl: string, options: ListAllOptions, map: (page: PageDocument, fresh: JsonApiResource[]) => T[]): Promise<T[]> {
    const pages = await fetchAllPages(this.fetchPage, firstUrl, { prefetch: options.prefetch, signal: options.signal, resolve: this.resolveHref });
    const seen = new Set<string>();
    return pages.flatMap((page) => map(page, dedupeResources(asArray(page.data), seen)));
  }

  private getDocument<D>(url: string, options: CallOptions): Promise<JsonApiDocument<D>> {
    return this.http.getJson<JsonApiDocument<D>>(url, { signal: options.signal });
  }

  private async getResource(url: string, options: CallOptions): Promise<JsonApiResource> {
    return this.single(await this.getDocument<JsonApiResource | JsonApiResource[]>(url, options));
  }

  private single(document: JsonApiDocument<JsonApiResource | JsonApiResource[]>): JsonApiResource {
    const resource = document && singleResource(document.data);
    if (!resource || typeof resource !== 'object') {
      throw new ApsError({ kind: 'protocol', message: 'Expected a JSON:API resource in data', userMessage: 'Autodesk returned an unexpected response.' });
    }
    return resource;
  }

  private async downloadAt(url: string, projectId: string, options: CallOptions): Promise<Download> {
    return toDownload(await this.getResource(url, options), projectId);
  }
}

function isFilterRefusal(error: unknown): boolean {
  return isApsError(error) && error.status === 400;
}

function nameMatcher(nameContains: string | undefined): (entry: FolderEntry) => boolean {
  const needle = nameContains?.trim().toLocaleLowerCase();
  if (!needle) return () => true;
  return (entry) => entry.name.toLocaleLowerCase().includes(needle);
}

function pageSizeOf(pageSize: number | undefined): number {
  if (pageSize === undefined) return MAX_PAGE_SIZE;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize)));
}

function jobStatusOf(resource: JsonApiResource): DownloadJobStatus {
  const status = (resource.attributes as { status?: unknown } | undefined)?.status;
  if (status === 'queued' || status === 'processing' || status === 'failed' || status === 'finished') return status;
  if (status === 'success' || status === 'complete' || status === 'completed') return 'finished';
  return 'processing';
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
