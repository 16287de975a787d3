// Composition root: builds the VS Code layer around the core client and wires it together.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Accounts } from './auth/accounts';
import { ApsAuthenticationProvider, AUTH_PROVIDER_ID } from './auth/apsAuthenticationProvider';
import { UriCallbackHandler } from './auth/uriCallback';
import { registerAccountCommands } from './commands/accountCommands';
import { transferCapabilities } from './commands/capabilities';
import { compareCapabilities, registerCompareCommands } from './commands/compareCommands';
import { registerConvertCommand } from './commands/convertCommand';
import { registerDetailsCommand } from './commands/detailsCommand';
import { registerDownloadCommand } from './commands/downloadCommand';
import { registerExportPdfCommand } from './commands/exportPdfCommand';
import { registerMirrorCommands } from './commands/mirrorCommand';
import { openTarget, registerJobCommands, revealRemote, revealTarget } from './commands/jobCommands';
import type { FindContext } from './commands/findContext';
import { registerOpenCommand } from './commands/openCommand';
import { registerOpenInDocsCommand } from './commands/openInDocsCommand';
import { registerSearchCommands } from './commands/searchCommand';
import { registerTreeCommands } from './commands/treeCommands';
import { registerUploadCommands } from './commands/uploadCommand';
import { migrateRegionSetting } from './config/regionMigration';
import { registerWorkspaceFolderCommand } from './commands/workspaceFolderCommand';
import { onSettingsChanged, readProxySettings, readSettings } from './config/settings';
import { pruneThumbnailFolders, ThumbnailCache } from './core/derivatives/thumbnails';
import { TransferEngine } from './core/transfer';
import { UploadEngine } from './core/upload';
import { DETAILS_VIEW_ID, DetailsView } from './details/detailsView';
import { FACTS_SCHEME, VersionFactsProvider } from './details/versionFacts';
import { ApsFileSystemProvider, readOnlyReason } from './fs/apsFileSystemProvider';
import { APS_SCHEME, versionUri, type VersionRef } from './fs/apsUri';
import { ApsError } from './core/http/apsError';
import { JobManager } from './jobs/jobManager';
import { JobsHost } from './jobs/jobsHost';
import { JobsStatusBar } from './jobs/jobsStatusBar';
import { JobStore } from './jobs/jobStore';
import { JobsTreeProvider, type JobsNode } from './jobs/jobsTreeProvider';
import { convertRunner } from './jobs/runners/convertRunner';
import { downloadRunner } from './jobs/runners/downloadRunner';
import { exportRunner } from './jobs/runners/exportRunner';
import { mirrorRunner } from './jobs/runners/mirrorRunner';
import { pushRunner } from './jobs/runners/pushRunner';
import { uploadRunner } from './jobs/runners/uploadRunner';
import { MirrorDecorations, mirrorRootsContext } from './mirror/mirrorDecorations';
import { MirrorStatusBar } from './mirror/mirrorStatusBar';
import { ExtensionLog } from './log/logChannel';
import { dmHubsData } from './tree/dmHubsData';
import type { HubsData } from './tree/hubsData';
import { HubsModel } from './tree/hubsModel';
import { HubsTreeProvider } from './tree/hubsTreeProvider';
import type { TreeNode } from './tree/nodes';
import { fileTooltipWithThumbnail } from './tree/thumbnailTooltips';
import { windowPrompts, type Prompts } from './ui/prompts';
import { sweepStagedDrops } from './upload/droppedSources';
import { HubsDropController, type StartUpload } from './upload/hubsDropController';
import { showUploaded } from './upload/showUploaded';
import { signedInUploadServices } from './upload/signedInServices';
import { startUpload } from './upload/startUpload';

/** What activate() returns: used by the extension-host tests (and open to other extensions). */
export interface ApsExplorerApi {
  readonly version: string;
  readonly accounts: Accounts;
  readonly hubs: { model: HubsModel; provider: HubsTreeProvider; view: vscode.TreeView<TreeNode>; drop: HubsDropController };
  /** Downloads, conversions, exports, mirrors and uploads; `host.reload()` stops and resumes them as a window reload would. */
  readonly jobs: { host: JobsHost; readonly manager: JobManager; provider: JobsTreeProvider; view: vscode.TreeView<JobsNode> };
  /** The read-only `aps:` file system. */
  readonly files: { provider: ApsFileSystemProvider; uri(ref: VersionRef): vscode.Uri };
  /** The Details view (what it shows, and its page). */
  readonly details: DetailsView;
  /** Mirrors in the workspace: their Explorer decorations and the status line of the last one. */
  readonly mirrors: { decorations: MirrorDecorations; status: MirrorStatusBar };
  /** Replaces where questions and notifications go (tests script them); returns the previous one. */
  setPrompts(prompts: Prompts): Prompts;
}

export async function activate(context: vscode.ExtensionContext): Promise<ApsExplorerApi> {
  let prompts: Prompts = windowPrompts;
  const currentPrompts = () => prompts;
  const log = new ExtensionLog();
  const uriCallback = new UriCallbackHandler(context.extension.id);
  const accounts = new Accounts(context, log, currentPrompts, uriCallback);

  const services = () => accounts.services();
  const dataFor = (): HubsData | undefined => {
    const dm = services()?.dm;
    return dm ? dmHubsData(dm, readSettings().pageSize) : undefined;
  };
  const model = new HubsModel(notConnected);
  const provider = new HubsTreeProvider(model, () => accounts.account !== undefined);
  const stagedDrops = path.join(context.globalStorageUri.fsPath, 'dropped');
  const upload: StartUpload = (destination, sources, stagedIn) => startUpload(transfers, destination, sources, stagedIn);
  const drop = new HubsDropController(upload, currentPrompts, stagedDrops);
  const view = vscode.window.createTreeView('apsExplorer.hubs', { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true, dragAndDropController: drop });
  const reconnectTree = () => {
    model.setData(dataFor() ?? notConnected);
    view.description = accounts.account?.label;
  };

  const engine = new TransferEngine({ log: (level, message) => log.channel[level](message), proxy: readProxySettings() });
  const signedServices = () => services() ?? notSignedInError();
  const uploads = new UploadEngine(signedInUploadServices(signedServices), { log: (level, message) => log.channel[level](message), proxy: readProxySettings() });
  const mirrors = new MirrorDecorations();
  const runners = {
    download: downloadRunner(signedServices, engine),
    convert: convertRunner(signedServices, engine),
    export: exportRunner(signedServices, engine),
    mirror: mirrorRunner(signedServices, engine, (root) => mirrors.reload(root)),
    push: pushRunner(signedServices, uploads, (level, message) => log.channel[level](message), (root) => mirrors.reload(root)),
    upload: uploadRunner(uploads, (plan) => showUploaded({ model, view, dm: () => services()?.dm }, plan)),
  };
  const jobs = new JobsHost(
    () => new JobManager({ store: new JobStore(context.workspaceState), runners, prompts: currentPrompts, log, open: openTarget, reveal: revealTarget, revealRemote }),
  );
  stopJobs = () => jobs.manager.shutdown().finally(() => Promise.all([engine.close(), uploads.close()]));
  const jobsProvider = new JobsTreeProvider(jobs);
  const jobsView = vscode.window.createTreeView('apsExplorer.jobs', { treeDataProvider: jobsProvider });
  let signalReady = () => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  const files = new ApsFileSystemProvider(services, engine, path.join(context.globalStorageUri.fsPath, 'open'), ready);
  const transfer = transferCapabilities(() => services()?.exports);
  provider.capabilities = (node) => [...transfer(node), ...compareCapabilities(node)];
  const transfers = { jobs, model, view, prompts: currentPrompts, log, services };
  const mirrorStatus = new MirrorStatusBar(mirrors);

  const http = () => services()?.http;
  const find: FindContext = { model, view, prompts: currentPrompts, log, services, http, hasUser: () => accounts.account?.mode === 'user' || Boolean(http()?.authorizer?.userId) };
  const thumbnailRoot = path.join(context.globalStorageUri.fsPath, 'thumbnails');
  void pruneThumbnailFolders(thumbnailRoot, 24 * 3600_000);
  const thumbnails = new ThumbnailCache(path.join(thumbnailRoot, `${process.pid}-${Date.now()}`), { region: () => readSettings().region });
  const thumbnailSource = { cache: thumbnails, http, log };
  provider.fileTooltip = (node, token) => fileTooltipWithThumbnail(thumbnailSource, node, token);
  const details = new DetailsView({ services, thumbnails: thumbnailSource });

  context.subscriptions.push(
    log,
    uriCallback,
    vscode.window.registerUriHandler(uriCallback),
    accounts,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Autodesk', new ApsAuthenticationProvider(accounts), { supportsMultipleAccounts: false }),
    provider,
    view,
    accounts.onDidChange(reconnectTree),
    onAnotherAccount(accounts, () => void thumbnails.clear()),
    { dispose: () => void thumbnails.clear() },
    onSettingsChanged(async (affects) => {
      if (['apiBaseUrl', 'region', 'clientId', 'userId', 'callbackPort', 'callbackMode'].some(affects)) await accounts.reconnect();
      else if (affects('pageSize')) reconnectTree();
    }),
    ...registerAccountCommands(accounts, currentPrompts, log),
    ...registerTreeCommands({ model, view, dm: () => services()?.dm, prompts: currentPrompts, log }),
    jobsProvider,
    jobsView,
    new JobsStatusBar(jobs),
    files,
    vscode.workspace.registerFileSystemProvider(APS_SCHEME, files, { isCaseSensitive: true, isReadonly: new vscode.MarkdownString(readOnlyReason()) }),
    vscode.workspace.registerTextDocumentContentProvider(FACTS_SCHEME, new VersionFactsProvider(services)),
    registerDownloadCommand(transfers),
    registerConvertCommand(transfers),
    registerExportPdfCommand(transfers),
    registerOpenCommand(transfers),
    ...registerSearchCommands(find),
    ...registerCompareCommands(find),
    registerOpenInDocsCommand(find),
    registerWorkspaceFolderCommand(find),
    details,
    vscode.window.registerWebviewViewProvider(DETAILS_VIEW_ID, details),
    view.onDidChangeSelection((event) => details.select(event.selection[0])),
    registerDetailsCommand(details, view),
    mirrors,
    vscode.window.registerFileDecorationProvider(mirrors),
    mirrorStatus,
    ...registerMirrorCommands(transfers, () => mirrorStatus, (file) => mirrors.rootOf(file)),
    mirrorRootsContext(mirrors),
    ...registerUploadCommands(transfers),
    ...registerJobCommands(jobs, log, () => jobsView.selection),
    { dispose: () => void stopJobs?.() },
    jobs,
  );

  await migrateRegionSetting(currentPrompts()).catch((error: unknown) => log.error('Could not update the region setting', error));
  try {
    await accounts.initialize();
  } finally {
    signalReady();
  }
  reconnectTree();
  jobs.manager.restore();
  void mirrors.scan().catch((error: unknown) => log.error('Could not look for mirrors in the workspace', error));
  void sweepStagedDrops(stagedDrops);

  return {
    version: context.extension.packageJSON.version as string,
    accounts,
    hubs: { model, provider, view, drop },
    jobs: {
      host: jobs,
      get manager() {
        return jobs.manager;
      },
      provider: jobsProvider,
      view: jobsView,
    },
    files: { provider: files, uri: versionUri },
    details,
    mirrors: { decorations: mirrors, status: mirrorStatus },
    setPrompts(next) {
      const previous = prompts;
      prompts = next;
      return previous;
    },
  };
}

let stopJobs: (() => Promise<void>) | undefined;

/** Lets running jobs write their journals before the extension host goes away (they resume on the next start). */
export async function deactivate(): Promise<void> {
  await stopJobs?.();
}

/** Calls `listener` when APS answers as someone else: another account, or app credentials acting for another user. */
function onAnotherAccount(accounts: Accounts, listener: () => void): vscode.Disposable {
  const who = () => `${accounts.account?.id ?? ''}|${accounts.account?.mode === 'app' ? readSettings().userId : ''}`;
  let last = who();
  return accounts.onDidChange(() => {
    if (who() === last) return;
    last = who();
    listener();
  });
}

const notSignedIn = () => Promise.reject(new Error('Not signed in'));
function notSignedInError(): never {
  throw new ApsError({ kind: 'auth', code: 'NOT_SIGNED_IN', message: 'Not signed in', userMessage: vscode.l10n.t('Sign in to Autodesk to continue.') });
}
const nothing = { pages: async function* () {}, all: async () => [] };
/** The tree's data source while signed out (the view shows its welcome content then). */
const notConnected: HubsData = {
  hubs: () => nothing as never,
  projects: () => nothing as never,
  topFolders: () => nothing as never,
  folderContents: () => nothing as never,
  versions: () => nothing as never,
  hub: notSignedIn,
  project: notSignedIn,
  folder: notSignedIn,
  item: notSignedIn,
  version: notSignedIn,
};
