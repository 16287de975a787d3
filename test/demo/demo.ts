// `npm run demo`: the APS emulator and the extension in a real VS Code (code-server) to open in a browser.
// `npm run demo:desktop`: the same emulator with a desktop `code` from PATH.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../emulator';
import { baseSettings, repoRoot } from '../runners/codeServer';
import { emulatorSettings, startDemoWorkbench } from '../runners/demoWorkbench';
import { killProcessTree, Teardown } from '../runners/processTree';

// The browser demo's emulator is strict with APS's rate limits on (demoWorkbench.ts); so is the desktop one.
const DEMO_EMULATOR = { latencyMs: 60, jitterMs: 40, strictness: 'strict', rateLimits: true } as const;
const demoRoot = join(repoRoot, '.demo');

async function browserDemo(teardown: Teardown): Promise<void> {
  const port = process.env.APS_DEMO_PORT ? Number(process.env.APS_DEMO_PORT) : undefined;
  const demo = await startDemoWorkbench({ root: demoRoot, emulator: DEMO_EMULATOR, port });
  teardown.add(() => demo.stop());
  printEmulator(demo.emulator);
  console.log('APS Explorer is running in VS Code (code-server). Open this URL in a browser:');
  console.log(`  ${demo.url}`);
  console.log('Then click the APS icon in the activity bar and "Sign in with Autodesk" (the emulator asks you to Allow).');
  console.log('Press Ctrl-C to stop everything.');
  demo.server.process.once('exit', () => void teardown.run().finally(() => process.exit(1)));
}

async function desktopDemo(teardown: Teardown): Promise<void> {
  const emulator = await startEmulator(DEMO_EMULATOR);
  teardown.add(() => emulator.close());
  const userData = join(demoRoot, 'desktop-user-data');
  const workspace = join(demoRoot, 'workspace');
  rmSync(userData, { recursive: true, force: true });
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...baseSettings, ...emulatorSettings(emulator) }, null, 2));
  printEmulator(emulator);
  const code = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, `--user-data-dir=${userData}`, workspace], { stdio: 'inherit', detached: true });
  code.once('error', (error) => {
    console.error(`[demo] could not start 'code' from PATH: ${error.message}`);
    void teardown.run().finally(() => process.exit(1));
  });
  teardown.add(() => killProcessTree(code));
  console.log('Desktop VS Code is starting with APS Explorer on the emulator. Press Ctrl-C (or close the window) to stop.');
  code.once('exit', () => void teardown.run().finally(() => process.exit(0)));
}

function printEmulator(emulator: { baseUrl: string; storageUrl: string; seed: { credentials: { clientId: string; clientSecret?: string }; publicApp: { clientId: string } } }): void {
  console.log(`base url: ${emulator.baseUrl}`);
  console.log(`storage url: ${emulator.storageUrl}`);
  console.log(`client id: ${emulator.seed.publicApp.clientId} (public PKCE app; the confidential one for app credentials: ${emulator.seed.credentials.clientId} / ${emulator.seed.credentials.clientSecret})`);
}

const teardown = new Teardown();
(process.argv.includes('--desktop') ? desktopDemo(teardown) : browserDemo(teardown)).catch(async (error: unknown) => {
  console.error('[demo] failed:', error instanceof Error ? error.message : error);
  await teardown.run();
  process.exit(1);
});
