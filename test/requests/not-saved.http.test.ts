/** A request whose record does not save: the requester is told, nothing is kept, and the audit says so. */
import fs from 'node:fs';
import path from 'node:path';
import { people } from '../helpers/activities.js';
import type { TestApp } from '../helpers/app.js';
import { exec, form, introduce, open, requests, startRequestsApp } from './support.js';

describe('a request that does not save', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startRequestsApp();
    await introduce(t);
  });
  afterAll(() => t.stop());

  it('tells the requester, keeps no record, and follows its audit line with request.notCreated; the next one saves', async () => {
    await open(t, people.staff); // the requests file and its journal exist
    const journal = path.join(t.dataDir, 'requests.journal');
    fs.rmSync(journal); // the journal vanishes under the running bot (the audit log is fine)
    const failed = await exec(t, 'requests.create', form({ title: 'Lost on the way' }), { from: people.staff });
    expect(failed.text).toMatch(/couldn't save that, so nothing was changed/);
    expect((await requests(t).list()).map((r) => r.title)).not.toContain('Lost on the way');
    const audit = await t.app.deps.store.audit.recent((e) => e.action.startsWith('request.'));
    const created = audit.filter((e) => e.action === 'request.created');
    const notCreated = audit.filter((e) => e.action === 'request.notCreated');
    expect(notCreated).toEqual([expect.objectContaining({ subject: created[created.length - 1].subject, details: { reason: 'StorageWriteError' } })]);
    const after = await open(t, people.staff, { title: 'After the failure' });
    expect(after.record.title).toBe('After the failure');
    expect(fs.existsSync(journal)).toBe(true);
  });
});
