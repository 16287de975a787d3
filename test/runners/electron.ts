// Desktop runner: the same suite in a downloaded (or local, VSCODE_EXECUTABLE_PATH) VS Code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer';

async function main(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'aps-explorer-ws-'));
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
    version: process.env.VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'suite', 'index'),
    extensionTestsEnv: { APS_EXPLORER_TEST: '1' },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
}

main().catch((error: unknown) => {
  console.error('[runner] extension-host tests failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
