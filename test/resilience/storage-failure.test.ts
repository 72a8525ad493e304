import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execute, message, people } from '../helpers/activities.js';
import { startTestApp, textOf, type TestApp } from '../helpers/app.js';
import { form } from '../requests/support.js';

const NOT_SAVED = /couldn't save that, so nothing was changed/;

function parseAll(dir: string): void {
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (f.endsWith('.json')) JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  }
}

async function create(t: TestApp, title: string) {
  const r = await t.post(execute('requests.create', form({ title }), { from: people.staff }));
  return { status: r.status, body: r.body, text: textOf(r.body?.value ?? r.body) + JSON.stringify(r.body?.value ?? '') };
}

async function requestTitles(t: TestApp): Promise<string[]> {
  return (await t.app.deps.store.collection<{ id: string; version: number; title: string }>('requests').list()).map((r) => r.title);
}

describe('storage write failures: the user is told, nothing is half-written, the bot keeps running', () => {
  it('survives a data directory that disappears (read-only or unmounted disk) and recovers when it is back', async () => {
    const t = await startTestApp();
    try {
      await t.replies(message('help', { from: people.staff }));
      expect((await create(t, 'before the failure')).status).toBe(200);
      const away = `${t.dataDir}.away`;
      fs.renameSync(t.dataDir, away);
      const failed = await create(t, 'during the failure');
      expect(failed.status).toBe(200);
      expect(failed.text).toMatch(NOT_SAVED);
      fs.renameSync(away, t.dataDir);
      parseAll(t.dataDir);
      expect(await requestTitles(t)).not.toContain('during the failure');
      const after = await create(t, 'after the failure');
      expect(after.text).not.toMatch(NOT_SAVED);
      expect((await t.replies(message('help', { from: people.staff })))[0]).toBeDefined();
      expect(await requestTitles(t)).toEqual(expect.arrayContaining(['before the failure', 'after the failure']));
    } finally {
      await t.stop();
    }
  });

  it('survives a full disk (a 512 KB tmpfs filled up) and recovers when space is freed', async () => {
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt]); // CI runs as root, like the sessions
    const dataDir = path.join(mnt, 'data');
    const t = await startTestApp({ dataDir });
    try {
      await t.replies(message('help', { from: people.staff }));
      expect((await create(t, 'before the disk filled')).status).toBe(200);
      const filler = path.join(mnt, 'filler');
      try {
        fs.writeFileSync(filler, Buffer.alloc(1024 * 1024));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC'); // the disk is now full
      }
      // A small change may still fit in the space a file already has (a journal line in its last page): keep
      // creating until one does not fit. That one is refused, and nothing of it is kept.
      let failedTitle = '';
      for (let i = 0; i < 20 && !failedTitle; i++) {
        const title = `on a full disk ${i}`;
        if (NOT_SAVED.test((await create(t, title)).text)) failedTitle = title;
      }
      expect(failedTitle).not.toBe('');
      parseAll(dataDir);
      fs.rmSync(filler);
      expect(await requestTitles(t)).not.toContain(failedTitle);
      const after = await create(t, 'after space was freed');
      expect(after.text).not.toMatch(NOT_SAVED);
      parseAll(dataDir);
      expect(await requestTitles(t)).toEqual(expect.arrayContaining(['before the disk filled', 'after space was freed']));
    } finally {
      await t.stop();
      execFileSync('umount', [mnt]);
    }
  });
});
