// Entry point VS Code calls (extensionTestsPath) under both runners.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';

/** Lines the offline runner relays to its stdout; the workbench console carries everything else too. */
export const SUITE_MARKER = '[aps-suite] ';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

export function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(SUITE_MARKER + line);
  };
  Mocha.reporters.Base.consoleLog(`VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.remoteName ?? 'local'})`);
  // APS_SUITE_GREP runs only the tests whose titles match (while working on one feature; npm test runs them all).
  const grep = process.env.APS_SUITE_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of testFiles(__dirname).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = 0, pending = 0 } = runner.stats ?? {};
      Mocha.reporters.Base.consoleLog(`extension-host: ${passes} passed, ${failed} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed.`));
      else resolve();
    });
  });
}
