// Where the upload journals live (the same folder for the extension and the command line), and that a damaged
// or foreign journal is never trusted.
import * as assert from 'node:assert/strict';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { defaultJournalDir, journalPath, parseUploadJournal, type JournalKey, type UploadJournalData } from '../../../src/core/upload/journal';

describe('upload journal', () => {
  it("lives in the user's state folder, never beside the uploaded file", () => {
    const home = homedir();
    assert.equal(defaultJournalDir({ APS_EXPLORER_STATE_DIR: '/srv/state' }, 'linux'), path.join('/srv/state', 'uploads'));
    assert.equal(defaultJournalDir({}, 'linux'), path.join(home, '.local', 'state', 'aps-explorer', 'uploads'));
    assert.equal(defaultJournalDir({ XDG_STATE_HOME: '/x' }, 'linux'), path.join('/x', 'aps-explorer', 'uploads'));
    assert.equal(defaultJournalDir({}, 'darwin'), path.join(home, 'Library', 'Application Support', 'aps-explorer', 'uploads'));
    assert.equal(defaultJournalDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32'), path.join('C:\\Users\\me\\AppData\\Local', 'aps-explorer', 'uploads'));
  });

  it('is one file per local file and place, and only a whole, matching journal is read', () => {
    const key: JournalKey = { localPath: '/work/Tower.rvt', projectId: 'b.p', folderId: 'urn:f', name: 'Tower.rvt' };
    assert.notEqual(journalPath('/j', key), journalPath('/j', { ...key, name: 'Tower (1).rvt' }));
    assert.match(path.basename(journalPath('/j', key)), /^[0-9a-f]{40}\.json$/);
    const journal: UploadJournalData = {
      version: 1,
      key,
      local: { size: 12, mtimeMs: 5 },
      storage: { bucketKey: 'wip.dm.prod', objectKey: 'o.rvt', urn: 'urn:adsk.objects:os.object:wip.dm.prod/o.rvt' },
      partSize: 5 * 1024 * 1024,
      partCount: 1,
      uploadKey: 'k',
      parts: [[1, '"etag"']],
    };
    assert.deepEqual(parseUploadJournal(JSON.stringify(journal), key), journal);
    assert.equal(parseUploadJournal(JSON.stringify(journal), { ...key, folderId: 'urn:other' }), undefined, 'another upload');
    assert.equal(parseUploadJournal(JSON.stringify(journal).slice(0, 40), key), undefined, 'half written');
    assert.equal(parseUploadJournal(JSON.stringify({ ...journal, parts: [[2, '"e"']] }), key), undefined, 'a part beyond the count');
    assert.equal(parseUploadJournal(JSON.stringify({ ...journal, version: 2 }), key), undefined);
  });
});
