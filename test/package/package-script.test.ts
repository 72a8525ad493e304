/** scripts/package.mjs: fills the manifest from env files, validates it offline, and writes the app package zip. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../src/paths.js';
import { validateOffline } from '../../scripts/lib/teams-schema.cjs';
import { readZip } from './formats.js';

// @microsoft/app-manifest requires strip-bom, an ES module that Jest's CommonJS runtime cannot load (Node itself
// can): stand in for it here. The script itself runs in Node, with the real one.
jest.mock('strip-bom', () => ({ __esModule: true, default: (text: string) => text.replace(/^\uFEFF/, '') }));
jest.setTimeout(30_000);

const root = fromRoot();
const APP_ID = '3f0c9a52-8d41-4e6b-a7c2-5b9e1d0f6a34';
const BOT_ID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const USER_BOT_ID = 'd7e8f9a0-b1c2-4d3e-8f4a-5b6c7d8e9f01';
const GRAPH_ID = 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b';

const baseEnv = [
  '# test environment',
  `TEAMS_APP_ID=${APP_ID}`,
  `BOT_ID=${BOT_ID}`,
  'BOT_DOMAIN=psa-test.example.com',
  'APP_NAME_SUFFIX=" (test)"',
  'DEVELOPER_NAME=Contoso Partner Desk',
  'DEVELOPER_WEBSITE_URL=https://contoso.example.com/',
  'DEVELOPER_PRIVACY_URL=https://contoso.example.com/privacy',
  'DEVELOPER_TERMS_URL=https://contoso.example.com/terms',
  'GRAPH_CLIENT_ID=',
].join('\n');

interface Workspace {
  dir: string;
  envDir: string;
  appDir: string;
  outDir: string;
}

/** A temp folder with env/.env.<name> (and .user when given) and, if asked, a copy of appPackage/ to break. */
function workspace(opts: { env?: string; user?: string; name?: string; copyApp?: boolean } = {}): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-package-'));
  const envDir = path.join(dir, 'env');
  fs.mkdirSync(envDir);
  const name = opts.name ?? 'test';
  fs.writeFileSync(path.join(envDir, `.env.${name}`), opts.env ?? baseEnv);
  if (opts.user !== undefined) fs.writeFileSync(path.join(envDir, `.env.${name}.user`), opts.user);
  let appDir = path.join(root, 'appPackage');
  if (opts.copyApp) {
    appDir = path.join(dir, 'appPackage');
    fs.mkdirSync(appDir);
    for (const f of ['manifest.json', 'ko-kr.json', 'color.png', 'outline.png']) fs.copyFileSync(path.join(root, 'appPackage', f), path.join(appDir, f));
  }
  return { dir, envDir, appDir, outDir: path.join(dir, 'build') };
}

function runPackage(ws: Workspace, opts: { args?: string[]; env?: Record<string, string> } = {}) {
  const args = opts.args ?? ['--env', 'test'];
  const run = spawnSync(process.execPath, [path.join(root, 'scripts/package.mjs'), ...args, '--env-dir', ws.envDir, '--app-dir', ws.appDir, '--out-dir', ws.outDir], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...opts.env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const zipOf = (ws: Workspace, name = 'test') => readZip(fs.readFileSync(path.join(ws.outDir, `appPackage.${name}.zip`)));
const jsonIn = (entries: Map<string, Buffer>, name: string) => JSON.parse(entries.get(name)!.toString('utf8'));

describe('a good environment', () => {
  const ws = workspace({ user: `BOT_ID=${USER_BOT_ID}\n` });
  let run: ReturnType<typeof runPackage>;
  let entries: Map<string, Buffer>;
  beforeAll(() => {
    run = runPackage(ws);
    entries = run.status === 0 ? zipOf(ws) : new Map();
  });

  it('exits 0 and names the zip it wrote', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(path.join('build', 'appPackage.test.zip')); // relative to the working directory
  });

  it('zips exactly manifest.json, ko-kr.json, color.png and outline.png', () => {
    expect([...entries.keys()].sort()).toEqual(['color.png', 'ko-kr.json', 'manifest.json', 'outline.png']);
  });

  it('fills the ids and the domain, with env/.env.<env>.user winning over env/.env.<env>', () => {
    const manifest = jsonIn(entries, 'manifest.json');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(USER_BOT_ID);
    expect(manifest.validDomains).toEqual(['psa-test.example.com']);
    expect(manifest.name.short).toBe('Partner Support (test)');
    expect(manifest.version).toBe(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    expect(jsonIn(entries, 'ko-kr.json')['name.short']).toBe('파트너 지원 (test)');
  });

  it('leaves no ${{…}} placeholder in any JSON file', () => {
    for (const name of ['manifest.json', 'ko-kr.json']) expect(entries.get(name)!.toString('utf8')).not.toContain('${{');
  });

  it('packs a manifest and a localization file that are valid against the bundled schema', async () => {
    expect(await validateOffline(jsonIn(entries, 'manifest.json'))).toEqual([]);
    expect(await validateOffline(jsonIn(entries, 'ko-kr.json'))).toEqual([]);
  });

  it('omits webApplicationInfo when GRAPH_CLIENT_ID is empty', () => {
    expect(jsonIn(entries, 'manifest.json')).not.toHaveProperty('webApplicationInfo');
  });

  it('packs the committed icons unchanged', () => {
    for (const icon of ['color.png', 'outline.png']) expect(entries.get(icon)!.equals(fs.readFileSync(path.join(root, 'appPackage', icon)))).toBe(true);
  });

  it('also writes the filled manifest next to the zip, for reading', () => {
    expect(JSON.parse(fs.readFileSync(path.join(ws.outDir, 'manifest.test.json'), 'utf8'))).toEqual(jsonIn(entries, 'manifest.json'));
  });
});

describe('variables and environments', () => {
  it('adds webApplicationInfo with the Graph client id when GRAPH_CLIENT_ID is set', async () => {
    const ws = workspace();
    const run = runPackage(ws, { env: { GRAPH_CLIENT_ID: GRAPH_ID } });
    expect(run.status).toBe(0);
    const manifest = jsonIn(zipOf(ws), 'manifest.json');
    expect(manifest.webApplicationInfo).toEqual({ id: GRAPH_ID });
    expect(await validateOffline(manifest)).toEqual([]);
  });

  it('lets the process environment win over both env files', () => {
    const ws = workspace({ user: `BOT_ID=${USER_BOT_ID}\n` });
    const run = runPackage(ws, { env: { BOT_ID: BOT_ID.replace('c1', 'c9') } });
    expect(run.status).toBe(0);
    expect(jsonIn(zipOf(ws), 'manifest.json').bots[0].botId).toBe(BOT_ID.replace('c1', 'c9'));
  });

  it('takes the environment name from APP_ENV when --env is not given', () => {
    const ws = workspace({ name: 'staging' });
    const run = runPackage(ws, { args: [], env: { APP_ENV: 'staging' } });
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(ws.outDir, 'appPackage.staging.zip'))).toBe(true);
  });

  it('fails naming the variables that have no value', () => {
    const ws = workspace({ env: baseEnv.replace(/^BOT_ID=.*$/m, '').replace(/^TEAMS_APP_ID=.*$/m, '') });
    const run = runPackage(ws);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no value for BOT_ID, TEAMS_APP_ID');
    expect(fs.existsSync(ws.outDir)).toBe(false);
  });

  it('fails when the environment has no env file', () => {
    const ws = workspace();
    const run = runPackage(ws, { args: ['--env', 'prod'] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${path.join(ws.envDir, '.env.prod')} not found`);
  });

  it('fails on a BOT_DOMAIN with a scheme or path (validDomains take host names only)', () => {
    const ws = workspace();
    const run = runPackage(ws, { env: { BOT_DOMAIN: 'https://psa.example.com/api/messages' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('validDomains entry "https://psa.example.com/api/messages" must be a host name without scheme or path');
  });
});

describe('a broken package', () => {
  const edit = (ws: Workspace, file: string, change: (doc: any) => void) => {
    const p = path.join(ws.appDir, file);
    const doc = JSON.parse(fs.readFileSync(p, 'utf8'));
    change(doc);
    fs.writeFileSync(p, JSON.stringify(doc, null, 2));
  };

  it('fails with exit code 1, lists the schema errors and writes no zip', () => {
    const ws = workspace({ copyApp: true });
    edit(ws, 'manifest.json', (m) => {
      m.accentColor = 'blue';
      m.botName = 'not a manifest property';
    });
    const run = runPackage(ws);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Cannot build the app package:');
    expect(run.stderr).toContain('  - manifest.json: /accentColor must match pattern "^#[0-9a-fA-F]{6}$"');
    expect(run.stderr).toMatch(/ - manifest\.json: {2}must NOT have additional properties\. Details: \{"additionalProperty":"botName"\}/);
    expect(fs.existsSync(path.join(ws.outDir, 'appPackage.test.zip'))).toBe(false);
  });

  it('fails on a filled id that is not a GUID (schema error at /bots/0/botId)', () => {
    const ws = workspace();
    const run = runPackage(ws, { env: { BOT_ID: 'my-bot' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('manifest.json: /bots/0/botId must match pattern');
  });

  it('fails on a localization file that misses a command translation or translates a command that does not exist', () => {
    const ws = workspace({ copyApp: true });
    edit(ws, 'ko-kr.json', (k) => {
      delete k['bots[0].commandLists[1].commands[2].title'];
      k['bots[0].commandLists[2].commands[9].title'] = '없는 명령';
    });
    const run = runPackage(ws);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('ko-kr.json: no translation for bots[0].commandLists[1].commands[2].title ("diagnose")');
    expect(run.stderr).toContain('ko-kr.json: "bots[0].commandLists[2].commands[9].title" translates nothing in manifest.json');
  });

  it('fails on a command title longer than 32 characters', () => {
    const ws = workspace({ copyApp: true });
    edit(ws, 'manifest.json', (m) => {
      m.bots[0].commandLists[0].commands[0].title = 'tell me everything that you can do';
    });
    const run = runPackage(ws);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('"tell me everything that you can do" is longer than 32 characters');
  });

  it('fails on an icon of the wrong size', () => {
    const ws = workspace({ copyApp: true });
    fs.copyFileSync(path.join(ws.appDir, 'color.png'), path.join(ws.appDir, 'outline.png'));
    const run = runPackage(ws);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('icons.outline: outline.png is 192×192, Teams needs 32×32');
  });
});
