import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';

export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  const found = candidates.find((path): path is string => !!path && existsSync(path));
  if (!found) throw new Error('No Chromium found: install Debian\'s chromium or set CHROME_PATH.');
  return found;
}

export function launchBrowser(headless = true): Promise<Browser> {
  // Our own Teardown handles signals, so the server is stopped too, not only the browser.
  return chromium.launch({ executablePath: chromiumPath(), headless, args: chromiumFlags, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}
