import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { EmulatorOptions } from '../../emulator';
import { launchBrowser } from '../../runners/browser';
import { repoRoot } from '../../runners/codeServer';
import { startDemoWorkbench, type DemoWorkbench } from '../../runners/demoWorkbench';

export const screenshotDir = join(repoRoot, 'test-results', 'e2e');

/** A person's view of the demo: the emulator, code-server with the extension, and a browser page on it. */
export class UiSession {
  private constructor(
    readonly demo: DemoWorkbench,
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly root: string,
  ) {}

  /** Removes screenshots of an earlier run, so test-results/ shows this run only. */
  static clearScreenshots(): void {
    rmSync(screenshotDir, { recursive: true, force: true });
  }

  static async start(options: { emulator?: EmulatorOptions; settings?: Record<string, unknown> } = {}): Promise<UiSession> {
    const root = mkdtempSync(join(tmpdir(), 'aps-explorer-e2e-'));
    const demo = await startDemoWorkbench({ root, emulator: options.emulator, settings: options.settings });
    try {
      const browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
      const page = await context.newPage();
      await page.goto(demo.url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      mkdirSync(screenshotDir, { recursive: true });
      return new UiSession(demo, browser, context, page, root);
    } catch (error) {
      await demo.stop();
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
  }

  screenshotPath(name: string): string {
    return join(screenshotDir, `${name}.png`);
  }

  async screenshot(name: string): Promise<void> {
    await this.page.waitForTimeout(300);
    await this.page.screenshot({ path: this.screenshotPath(name) });
  }

  /** The row of a tree (any view) whose accessible name starts with `label`. */
  row(label: string | RegExp, scope: Locator | Page = this.page): Locator {
    const name = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}`) : label;
    return scope.getByRole('treeitem', { name }).first();
  }

  view(title: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: title }) });
  }

  async openApsView(): Promise<void> {
    await this.page.locator('.activitybar').getByRole('tab', { name: /^APS/ }).click();
    await this.view('Hubs').waitFor();
  }

  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const entry = this.page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: new RegExp(`^${escapeRegExp(item)}`) });
    await entry.hover();
    await this.page.keyboard.press('Enter');
    await entry.waitFor({ state: 'detached' });
  }

  /** Picks the entry of the open quick pick whose label starts with `label`. */
  async quickPick(label: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.waitFor();
    await widget.getByRole('option', { name: new RegExp(`^${escapeRegExp(label)}`) }).first().click();
  }

  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list').getByRole('option', { name: new RegExp(escapeRegExp(title)) }).first().click();
  }

  /** Signs in with the app's own credentials (2-legged) from the Command Palette, and waits for the hubs. */
  async useAppCredentials(secret: string): Promise<void> {
    await this.openApsView();
    await this.runCommand('APS: Use App Credentials (2-legged)');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(secret);
    await input.press('Enter');
    await this.notification(/Using app credentials/).waitFor({ timeout: 30_000 });
    await this.row('Emulator BIM 360 Account').waitFor();
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.demo.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
