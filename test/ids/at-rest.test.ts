/** At rest: the IDs are sealed with AES-256-GCM in DATA_DIR; a wrong or missing key is a clear error, never plain text. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecretBox, SecretKeyError } from '../../src/storage/secret-box.js';
import { message, people } from '../helpers/activities.js';
import { startTestApp } from '../helpers/app.js';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { registerIds } from '../../src/ids/index.js';
import { IdsVerb } from '../../src/ids/verbs.js';
import { filesUnder, invoke, PLAIN, startIdsApp, type IdsTestApp } from './support.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'psa-ids-rest-'));
const key = () => crypto.randomBytes(32).toString('base64');

describe('IDs at rest', () => {
  let t: IdsTestApp;
  beforeAll(async () => {
    t = await startIdsApp();
    await t.replies(message('ids', { from: people.staff }));
    await invoke(t, IdsVerb.reveal, {}, people.staff);
    await invoke(t, IdsVerb.associate, { portal: 'supportForBusiness' }, people.staff);
    await t.app.deps.store.flush();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('[R2] no data file (DATA_DIR/*.json, audit, key) holds a plain value; the benefits file holds sealed values', () => {
    const files = filesUnder(t.dataDir);
    expect(files.map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(['benefits.json', 'secret.key']));
    for (const f of files) for (const v of PLAIN) expect(`${path.basename(f.file)}: ${f.text.includes(v)}`).toBe(`${path.basename(f.file)}: false`);
    const benefits = JSON.parse(fs.readFileSync(path.join(t.dataDir, 'benefits.json'), 'utf8'));
    const rec = Object.values(benefits.records as Record<string, { accessIdSealed: string; contractIdSealed: string }>)[0];
    expect(rec.accessIdSealed).toMatch(/^enc:v1:/);
    expect(rec.contractIdSealed).toMatch(/^enc:v1:/);
  });

  it('[R2] the local key file is created with 0600 permissions', () => {
    const mode = fs.statSync(path.join(t.dataDir, 'secret.key')).mode & 0o777;
    expect(mode).toBe(0o600);
  });
});

describe('the encryption key', () => {
  it('[R2] sealing twice gives different ciphertexts, and both open', () => {
    const box = createSecretBox({ keyBase64: key(), dataDir: tmp(), allowKeyFile: false });
    const a = box.seal(PLAIN[0]);
    const b = box.seal(PLAIN[0]);
    expect(a).not.toBe(b);
    expect([box.open(a), box.open(b)]).toEqual([PLAIN[0], PLAIN[0]]);
  });

  it('[R2] a wrong key is a clear SecretKeyError, never a garbled value', () => {
    const sealed = createSecretBox({ keyBase64: key(), dataDir: tmp(), allowKeyFile: false }).seal(PLAIN[1]);
    const other = createSecretBox({ keyBase64: key(), dataDir: tmp(), allowKeyFile: false });
    expect(() => other.open(sealed)).toThrow(SecretKeyError);
    expect(() => other.open(sealed)).toThrow(/wrong DATA_ENCRYPTION_KEY or key file/);
  });

  it('[R2] a stored plain value is refused rather than passed through', () => {
    const box = createSecretBox({ keyBase64: key(), dataDir: tmp(), allowKeyFile: false });
    expect(() => box.open(PLAIN[0])).toThrow(SecretKeyError);
  });

  it('[R2] no key and no key file allowed (production) is an error, with no key file written', () => {
    const dir = tmp();
    expect(() => createSecretBox({ keyBase64: '', dataDir: dir, allowKeyFile: false })).toThrow(SecretKeyError);
    expect(() => createSecretBox({ keyBase64: '', dataDir: dir, allowKeyFile: false })).toThrow(/DATA_ENCRYPTION_KEY is not set/);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
  });

  it('[R2] production with an app id and no DATA_ENCRYPTION_KEY: the configuration is refused, and startApp refuses too', async () => {
    const dataDir = tmp();
    const prod = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', MicrosoftAppId: '11111111-2222-4333-8444-555555555555', MicrosoftAppPassword: 'test-app-password' };
    expect(() => loadConfig(prod as NodeJS.ProcessEnv, 'test')).toThrow(/DATA_ENCRYPTION_KEY: required in production/);
    const config = { ...loadConfig({ ...prod, DATA_ENCRYPTION_KEY: key() } as NodeJS.ProcessEnv, 'test'), dataEncryptionKey: '' };
    await expect(startApp(config, { logSink: { write: () => undefined }, capabilities: [registerIds] })).rejects.toThrow(/DATA_ENCRYPTION_KEY is not set/);
    expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
  });

  it('[R2] a key of the wrong length is refused', () => {
    expect(() => createSecretBox({ keyBase64: Buffer.alloc(16).toString('base64'), dataDir: tmp(), allowKeyFile: false })).toThrow(/32 bytes/);
  });

  it('[R2] restarting on the same DATA_DIR with another key fails at start-up with SecretKeyError', async () => {
    const dataDir = tmp();
    const first = await startTestApp({ dataDir, env: { DATA_ENCRYPTION_KEY: key() }, capabilities: [registerIds] });
    await first.stop();
    // startApp itself (not startTestApp, whose connector stand-in would stay open after the refusal).
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test', DATA_ENCRYPTION_KEY: key() } as NodeJS.ProcessEnv, 'test');
    await expect(startApp(config, { logSink: { write: () => undefined }, capabilities: [registerIds] })).rejects.toThrow(SecretKeyError);
  });
});
