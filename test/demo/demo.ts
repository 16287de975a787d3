// `npm run demo`: the extension in a real VS Code (code-server), ready to open in a browser.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startCodeServer, workbenchUrl } from '../runners/codeServer';
import { Teardown } from '../runners/processTree';

async function main(): Promise<void> {
  const teardown = new Teardown();
  const demoRoot = join(repoRoot, '.demo');
  const stateDir = join(demoRoot, 'state');
  const workspace = join(demoRoot, 'workspace');
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });

  const port = process.env.APS_DEMO_PORT ? Number(process.env.APS_DEMO_PORT) : undefined;
  const server = await startCodeServer({ stateDir, workspaceFolder: workspace, port });
  teardown.add(() => server.stop());

  const url = workbenchUrl(server, workspace, [['extensionDevelopmentPath', repoRoot]]);
  console.log('APS Explorer demo is running. Open this URL in a browser:');
  console.log(`  ${url}`);
  console.log('Press Ctrl-C to stop.');
  server.process.once('exit', () => void teardown.run().finally(() => process.exit(1)));
}

main().catch((error: unknown) => {
  console.error('[demo] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
