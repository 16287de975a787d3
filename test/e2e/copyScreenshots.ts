// `npm run screenshots`: copies the README's pictures from the last e2e run into media/screenshots/.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../runners/codeServer';
import { screenshotDir } from './support/session';

const CHOSEN = ['01-welcome', '02-consent', '04-tree', '07-explorer', '09-exported', '10-jobs', '06-no-access', '12-search', '13-version-diff', '14-thumbnail-tooltip', '15-details', '16-aps-folder', 'mirror-2-explorer', 'mirror-4-push-preview', 'upload-2-done'];

const target = join(repoRoot, 'media', 'screenshots');
mkdirSync(target, { recursive: true });
const missing = CHOSEN.filter((name) => !existsSync(join(screenshotDir, `${name}.png`)));
if (missing.length) {
  console.error(`Run the e2e suite first (npm run test:e2e): missing ${missing.join(', ')} in ${screenshotDir}`);
  process.exit(1);
}
for (const name of CHOSEN) copyFileSync(join(screenshotDir, `${name}.png`), join(target, `${name}.png`));
console.log(`Copied ${CHOSEN.length} screenshots to ${target}`);
