import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator';
import { repoRoot, startCodeServer, workbenchUrl, type RunningCodeServer } from './codeServer';

export interface DemoWorkbench {
  emulator: RunningEmulator;
  server: RunningCodeServer;
  /** The workbench with the extension under development loaded. */
  url: string;
  workspace: string;
  settings: Record<string, unknown>;
  stop(): Promise<void>;
}

/** Settings that point the extension at the emulator's public (PKCE) demo app. */
export function emulatorSettings(emulator: RunningEmulator): Record<string, unknown> {
  return {
    'apsExplorer.apiBaseUrl': emulator.baseUrl,
    'apsExplorer.clientId': emulator.seed.publicApp.clientId,
    'apsExplorer.callbackMode': 'loopback',
    'apsExplorer.callbackPort': 0,
  };
}

/**
 * code-server sends links to 127.0.0.1:<port> and localhost:<port> through its own /proxy/<port>/ path,
 * dropping their path and query, so the sign-in page would not load: the browser workbench's emulator
 * lives on another loopback address.
 */
export const BROWSER_EMULATOR_HOST = '127.0.0.2';

/** The emulator plus code-server with the extension loaded and a workspace folder, all on loopback. */
export async function startDemoWorkbench(options: { root: string; emulator?: EmulatorOptions; port?: number; settings?: Record<string, unknown> }): Promise<DemoWorkbench> {
  const stateDir = join(options.root, 'state');
  const workspace = join(options.root, 'workspace');
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  // Strict, with APS's rate limits: the demo and the e2e suite show the product within them.
  const emulator = await startEmulator({ host: BROWSER_EMULATOR_HOST, strictness: 'strict', rateLimits: true, ...options.emulator });
  try {
    const settings = { ...emulatorSettings(emulator), 'workbench.colorTheme': 'Default Dark Modern', ...options.settings };
    // Upload journals of the demo's throwaway emulator stay in the demo's state folder.
    const server = await startCodeServer({ stateDir, workspaceFolder: workspace, port: options.port, settings, env: { APS_EXPLORER_STATE_DIR: join(stateDir, 'aps-explorer') } });
    const url = workbenchUrl(server, workspace, [['extensionDevelopmentPath', repoRoot]]);
    return {
      emulator,
      server,
      url,
      workspace,
      settings,
      async stop() {
        await server.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
