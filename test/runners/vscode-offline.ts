// Runs the extension-host mocha suite inside a real VS Code (code-server) driven by headless Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './browser';
import { repoRoot, startCodeServer, workbenchUrl } from './codeServer';
import { Teardown } from './processTree';

const TIMEOUT_MS = Number(process.env.APS_SUITE_TIMEOUT_MS ?? 15 * 60_000);

async function main(): Promise<number> {
  const teardown = new Teardown();
  const stateDir = mkdtempSync(join(tmpdir(), 'aps-explorer-suite-'));
  teardown.add(async () => rmSync(stateDir, { recursive: true, force: true }));
  const workspace = join(stateDir, 'workspace');

  try {
    // Upload journals go to the run's own state folder, not the user's.
    const server = await startCodeServer({ stateDir, workspaceFolder: workspace, env: { APS_EXPLORER_TEST: '1', APS_EXPLORER_STATE_DIR: join(stateDir, 'aps-explorer') } });
    teardown.add(() => server.stop());
    const browser = await launchBrowser();
    teardown.add(() => browser.close());

    const page = await browser.newPage();
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    page.on('console', (message) => relay(message.text()));
    page.on('pageerror', (error) => console.error(`[workbench] ${error.message}`));

    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', repoRoot],
      ['extensionTestsPath', join(repoRoot, 'out', 'test', 'suite', 'index')],
    ]);
    console.log(`[runner] VS Code (code-server) at ${server.url}, running the extension-host suite…`);
    await page.goto(url);

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        console.error(`[runner] the suite did not finish within ${TIMEOUT_MS / 1000} s: giving up.`);
        resolve(3);
      }, TIMEOUT_MS);
    });
    const code = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);
    return code;
  } catch (error) {
    console.error('[runner] failed:', error instanceof Error ? error.message : error);
    return 2;
  } finally {
    await teardown.run();
  }
}

// The suite marks the lines it wants relayed (see test/suite/index.ts); the rest is workbench noise.
const MARKER = '[aps-suite] ';
function relay(text: string): void {
  const at = text.indexOf(MARKER);
  if (at >= 0) console.log(text.slice(at + MARKER.length));
  else if (process.env.APS_RUNNER_VERBOSE) console.error(`[workbench] ${text}`);
}

void main().then((code) => process.exit(code));
