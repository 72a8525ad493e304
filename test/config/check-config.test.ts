import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkConfig } from '../../src/check-config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('--check-config', () => {
  it('passes the sample configuration and writes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-check-'));
    const dataDir = path.join(dir, 'data');
    const r = checkConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv, '1.0.0');
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^Configuration OK: storage=lowdb, local mode/);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('names every bad value at once, the org file included', () => {
    const r = checkConfig({ PORT: 'x', LOG_LEVEL: 'loud', STORAGE: 'postgres', ORG_FILE: '/nonexistent/org.json' } as NodeJS.ProcessEnv, '1.0.0');
    expect(r.code).toBe(2);
    const text = r.lines.join('\n');
    expect(text).toContain('PORT');
    expect(text).toContain('LOG_LEVEL');
    expect(text).toMatch(/ORG_FILE: .*nonexistent\/org\.json/);
  });

  it('names a production configuration without credentials', () => {
    const r = checkConfig({ NODE_ENV: 'production' } as NodeJS.ProcessEnv, '1.0.0');
    expect(r.code).toBe(2);
    expect(r.lines.join('\n')).toContain('MicrosoftAppId: missing while NODE_ENV=production');
  });

  it('names a bad catalogue file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-check-'));
    const file = path.join(dir, 'catalog.json');
    fs.writeFileSync(file, '{ not json');
    const r = checkConfig({ CATALOG_FILE: file, DATA_ENCRYPTION_KEY: KEY } as NodeJS.ProcessEnv, '1.0.0');
    expect(r.code).toBe(2);
    expect(r.lines.join('\n')).toContain('CATALOG_FILE:');
  });
});
