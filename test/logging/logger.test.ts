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

  describe('lazyChild (the per-turn logger)', () => {
    it('computes its bindings only for a call at an enabled level, once, and puts them on every line', () => {
      const lines: string[] = [];
      const log = createLogger({ level: 'warn', sink: { write: (l) => lines.push(l) } });
      let built = 0;
      const turn = log.lazyChild(() => ({ turnId: `t${++built}` }));
      turn.debug({}, 'hidden');
      turn.info({ outcome: 'ok' }, 'turn');
      expect(built).toBe(0);
      expect(lines).toEqual([]);
      turn.warn({ verb: 'x' }, 'refused');
      turn.error('failed');
      expect(built).toBe(1);
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ level: 'warn', turnId: 't1', verb: 'x', msg: 'refused' }),
        expect.objectContaining({ level: 'error', turnId: 't1', msg: 'failed' }),
      ]);
    });

    it('writes exactly what child() writes', () => {
      const a = capture();
      const b = capture();
      const bindings = { turnId: 't1', activityType: 'message', activityId: undefined, conversationType: 'personal' };
      a.log.child(bindings).info({ outcome: 'ok' }, 'turn');
      b.log.lazyChild(() => bindings).info({ outcome: 'ok' }, 'turn');
      const strip = (l: string) => ({ ...JSON.parse(l), time: undefined });
      expect(strip(b.lines[0])).toEqual(strip(a.lines[0]));
    });

    it('redacts and scrubs its bindings like child()', () => {
      const { lines, log, secrets } = capture();
      secrets.add('SAMPLE-ACCESS-7F3K9Q');
      log.lazyChild(() => ({ token: 'hunter2-value', nested: { password: 'hunter2-value' }, note: 'id SAMPLE-ACCESS-7F3K9Q' })).info({ accessId: 'hunter2-value' }, 'x');
      expect(lines[0]).not.toMatch(/hunter2-value|SAMPLE-ACCESS-7F3K9Q/);
      expect(lines[0].match(/\[REDACTED\]/g)?.length).toBe(4);
    });

    it('keeps its bindings in its own children (same turnId), still built lazily', () => {
      const { lines, log } = capture();
      let built = 0;
      const turn = log.lazyChild(() => ({ turnId: `t${++built}` }));
      const sub = turn.child({ component: 'c' });
      const subLazy = turn.lazyChild(() => ({ step: 2 }));
      expect(built).toBe(0);
      sub.info({}, 'a');
      subLazy.info({}, 'b');
      turn.info({}, 'c');
      expect(built).toBe(1);
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ turnId: 't1', component: 'c', msg: 'a' }),
        expect.objectContaining({ turnId: 't1', step: 2, msg: 'b' }),
        expect.objectContaining({ turnId: 't1', msg: 'c' }),
      ]);
    });

    it('answers isLevelEnabled from the level', () => {
      const log = createLogger({ level: 'warn', sink: { write: () => undefined } });
      const turn = log.lazyChild(() => ({}));
      expect([turn.isLevelEnabled('info'), turn.isLevelEnabled('warn'), log.isLevelEnabled('debug'), log.isLevelEnabled('error')]).toEqual([false, true, false, true]);
    });
  });

  it('honours the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', sink: { write: (l) => lines.push(l) } });
    log.info({}, 'hidden');
    log.warn({}, 'shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
  });
});
