import { createLogger, SecretRegistry } from '../../src/logging/logger.js';

describe('structured logging', () => {
  const capture = () => {
    const lines: string[] = [];
    const secrets = new SecretRegistry();
    const log = createLogger({ level: 'debug', secrets, sink: { write: (l) => lines.push(l) } });
    return { lines, secrets, log };
  };

  it('writes one JSON line per event with level and bindings', () => {
    const { lines, log } = capture();
    log.child({ turnId: 't1' }).info({ durationMs: 3 }, 'turn');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', turnId: 't1', durationMs: 3, msg: 'turn' });
  });

  it.each(['password', 'appPassword', 'token', 'authorization', 'accessId', 'contractId', 'clientSecret'])('redacts the field %s at any depth', (key) => {
    const { lines, log } = capture();
    log.info({ [key]: 'hunter2-value', nested: { [key]: 'hunter2-value' } }, 'x');
    expect(lines[0]).not.toContain('hunter2-value');
    expect(lines[0]).toContain('[REDACTED]');
  });

  it('scrubs registered secret values wherever they appear (Access ID in free text, app password in an error)', () => {
    const { lines, log, secrets } = capture();
    secrets.add('SAMPLE-ACCESS-7F3K9Q');
    secrets.add('app-password-Zx9');
    log.warn({ note: 'user typed SAMPLE-ACCESS-7F3K9Q here', err: new Error('auth failed for app-password-Zx9') }, 'oops');
    expect(lines[0]).not.toMatch(/SAMPLE-ACCESS-7F3K9Q|app-password-Zx9/);
    expect(lines[0].match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('ignores too-short secrets that would scrub ordinary words', () => {
    const { lines, log, secrets } = capture();
    secrets.add('abc');
    log.info({ word: 'abc' }, 'm');
    expect(lines[0]).toContain('"word":"abc"');
  });

  it('honours the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', sink: { write: (l) => lines.push(l) } });
    log.info({}, 'hidden');
    log.warn({}, 'shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});
