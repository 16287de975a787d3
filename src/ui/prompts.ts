import * as vscode from 'vscode';

/**
 * Every question the extension asks goes through here, so the extension-host tests can answer them
 * with a script instead of a person. The product path is the same; only the source of answers changes.
 */
export interface Prompts {
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** A modal or non-modal message with buttons; resolves to the chosen button title. */
  warning(message: string, options: vscode.MessageOptions, ...buttons: string[]): Promise<string | undefined>;
  /** A notification (never modal); resolves to the clicked button, if any. */
  notify(level: NotificationLevel, message: string, ...buttons: string[]): Promise<string | undefined>;
  /** Opens an http(s) URL in the system browser, exactly as written. */
  openExternal(url: string): Promise<boolean>;
  /** A folder the user picks in the system dialog. */
  chooseFolder(openLabel: string): Promise<vscode.Uri | undefined>;
  /** Files or folders the user picks in the system dialog (undefined when cancelled). */
  openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined>;
  /** A quick pick whose items arrive while it is open, computed from what the user types (search). */
  liveQuickPick<T extends vscode.QuickPickItem>(options: LiveQuickPickOptions<T>): Promise<T | undefined>;
}

export interface LiveQuickPickOptions<T extends vscode.QuickPickItem> {
  title: string;
  placeholder: string;
  /** The text it opens with (run at once). */
  value?: string;
  /**
   * Computes the items for `text`, showing them through `show` as they arrive (busy while more may come).
   * Runs when the pick opens and after each pause in typing; a newer text aborts the older run.
   */
  run(text: string, show: (items: readonly T[], busy: boolean) => void, signal: AbortSignal): Promise<void>;
  /** Items that only inform (a notice, an error) cannot be chosen. */
  canPick?(item: T): boolean;
}

/** How long typing must pause before a live quick pick runs again. */
const TYPING_PAUSE_MS = 350;

export type NotificationLevel = 'info' | 'warning' | 'error';

export const windowPrompts: Prompts = {
  inputBox: async (options) => vscode.window.showInputBox(options),
  quickPick: async (items, options) => vscode.window.showQuickPick(items, options),
  warning: async (message, options, ...buttons) => vscode.window.showWarningMessage(message, options, ...buttons),
  notify: async (level, message, ...buttons) => {
    const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...buttons);
  },
  // A vscode.Uri decodes its query and encodes it again on the way out, which mangles a query value that is
  // itself a URL with a query (a redirect_uri of the URI-handler callback). The API's implementation also
  // takes the URL as a string and then opens it exactly as given.
  openExternal: async (url) => vscode.env.openExternal(url as unknown as vscode.Uri),
  chooseFolder: async (openLabel) => (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel }))?.[0],
  openDialog: async (options) => vscode.window.showOpenDialog(options),
  liveQuickPick: (options) => showLiveQuickPick(options),
};

function showLiveQuickPick<T extends vscode.QuickPickItem>(options: LiveQuickPickOptions<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    pick.value = options.value ?? '';
    pick.matchOnDescription = false;
    pick.matchOnDetail = false;
    pick.keepScrollPosition = true;
    let running: AbortController | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (text: string) => {
      running?.abort();
      const controller = new AbortController();
      running = controller;
      pick.busy = true;
      const show = (items: readonly T[], busy: boolean) => {
        if (controller.signal.aborted) return;
        const active = pick.activeItems[0];
        pick.items = items;
        if (active && items.includes(active)) pick.activeItems = [active];
        pick.busy = busy;
      };
      void options
        .run(text, show, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          if (!controller.signal.aborted) pick.busy = false;
        });
    };
    const finish = (item: T | undefined) => {
      clearTimeout(timer);
      running?.abort();
      resolve(item);
      pick.dispose();
    };
    pick.onDidChangeValue((text) => {
      clearTimeout(timer);
      timer = setTimeout(() => run(text), TYPING_PAUSE_MS);
    });
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems;
      if (item && (options.canPick?.(item) ?? true)) finish(item);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
    run(pick.value);
  });
}

export type ScriptedAnswer = string | undefined | ((question: string) => string | undefined);

export interface Notification {
  level: NotificationLevel;
  message: string;
  buttons: string[];
}

/**
 * Answers questions in order; a question with no answer left fails loudly. Notifications are recorded
 * (and answered by `onNotify`, default: dismissed); external URIs go to `onOpenExternal`.
 */
export class ScriptedPrompts implements Prompts {
  readonly asked: string[] = [];
  readonly notifications: Notification[] = [];
  /** Each modal or warning question with its detail text. */
  readonly warnings: Array<{ message: string; detail?: string }> = [];
  /** What each live quick pick showed when it was answered. */
  readonly livePicks: Array<{ title: string; value: string; items: readonly vscode.QuickPickItem[] }> = [];
  onNotify: (notification: Notification) => string | undefined = () => undefined;
  onOpenExternal: (url: string) => Promise<boolean> = async () => false;

  constructor(private readonly answers: ScriptedAnswer[] = []) {}

  answer(...answers: ScriptedAnswer[]): void {
    this.answers.push(...answers);
  }

  async notify(level: NotificationLevel, message: string, ...buttons: string[]): Promise<string | undefined> {
    const notification = { level, message, buttons };
    this.notifications.push(notification);
    return this.onNotify(notification);
  }

  openExternal(url: string): Promise<boolean> {
    return this.onOpenExternal(url);
  }

  /** Answered with a file-system path from the script. */
  async chooseFolder(openLabel: string): Promise<vscode.Uri | undefined> {
    const answer = this.next(openLabel);
    return answer === undefined ? undefined : vscode.Uri.file(answer);
  }

  /** Answered with file-system paths from the script, one per line ('' picks nothing). */
  async openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
    const answer = this.next(options.title ?? options.openLabel ?? 'open');
    return answer === undefined ? undefined : answer.split('\n').filter(Boolean).map((path) => vscode.Uri.file(path));
  }

  private next(question: string): string | undefined {
    this.asked.push(question);
    if (this.answers.length === 0) throw new Error(`Unexpected prompt: ${question}`);
    const answer = this.answers.shift();
    return typeof answer === 'function' ? answer(question) : answer;
  }

  async inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const answer = this.next(options.prompt ?? options.title ?? 'input');
    const problem = answer === undefined ? undefined : await options.validateInput?.(answer);
    if (problem) throw new Error(`Scripted answer '${answer}' rejected: ${typeof problem === 'string' ? problem : problem.message}`);
    return answer;
  }

  async quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    const answer = this.next(options.title ?? options.placeHolder ?? 'pick');
    if (answer === undefined) return undefined;
    const item = items.find((candidate) => candidate.label === answer || candidate.label.includes(answer));
    if (!item) throw new Error(`Scripted pick '${answer}' is not among: ${items.map((i) => i.label).join(', ')}`);
    return item;
  }

  /** Runs the pick's text to the end, then picks the item whose label matches the next answer. */
  async liveQuickPick<T extends vscode.QuickPickItem>(options: LiveQuickPickOptions<T>): Promise<T | undefined> {
    let items: readonly T[] = [];
    const value = options.value ?? '';
    await options.run(value, (shown) => (items = shown), new AbortController().signal);
    this.livePicks.push({ title: options.title, value, items });
    const answer = this.next(options.title);
    if (answer === undefined) return undefined;
    const item = items.find((candidate) => candidate.label === answer || candidate.label.includes(answer));
    if (!item) throw new Error(`Scripted pick '${answer}' is not among: ${items.map((i) => i.label).join(', ')}`);
    if (options.canPick && !options.canPick(item)) throw new Error(`'${item.label}' cannot be picked`);
    return item;
  }

  async warning(message: string, options?: vscode.MessageOptions): Promise<string | undefined> {
    this.warnings.push({ message, ...(options?.detail !== undefined ? { detail: options.detail } : {}) });
    return this.next(message);
  }
}
