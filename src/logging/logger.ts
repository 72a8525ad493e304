/** Structured JSON logging (pino): one line per event, secrets redacted by key and by value. */
import { pino, stdSerializers, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config.js';

export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  flush(): void;
}

/** Field names whose values never reach a log line, wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'password', 'appPassword', 'MicrosoftAppPassword', 'clientSecret', 'secret', 'token', 'accessToken',
  'authorization', 'Authorization', 'accessId', 'contractId', 'dataEncryptionKey', 'key', 'assertion',
];
const REDACT_PATHS = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), ...SECRET_KEYS.map((k) => `*.*.${k}`), 'req.headers.authorization'];

/** Values (Access ID, Contract ID, app password, tokens) scrubbed from every line, whatever field they hide in. */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  /** Adds a value to scrub; values shorter than 6 characters are ignored (they would scrub ordinary words). */
  add(value: string | undefined): void {
    if (!value || value.length < 6 || this.values.has(value)) return;
    this.values.add(value);
    this.pattern = undefined;
  }

  /** Replaces every registered value (and its JSON-escaped form) with [REDACTED]. */
  scrub(line: string): string {
    if (this.values.size === 0) return line;
    if (!this.pattern) {
      const alts = [...this.values].flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]).map(escapeRegExp);
      this.pattern = new RegExp([...new Set(alts)].sort((a, b) => b.length - a.length).join('|'), 'g');
    }
    return line.replace(this.pattern, '[REDACTED]');
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface LineSink {
  write(line: string): void;
}

/** Creates the root logger writing JSON lines to `sink` (stdout by default). */
export function createLogger(opts: { level: LogLevel; secrets?: SecretRegistry; sink?: LineSink; name?: string }): Logger {
  const secrets = opts.secrets ?? new SecretRegistry();
  const sink = opts.sink ?? { write: (line: string) => process.stdout.write(line) };
  const destination = { write: (line: string) => sink.write(secrets.scrub(line)) };
  const base = pino(
    {
      level: opts.level,
      name: opts.name ?? 'partner-support-assistant',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
    },
    destination,
  );
  return wrap(base);
}

function wrap(p: PinoLogger): Logger {
  const call = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') => (obj: object | string, msg?: string) => {
    if (typeof obj === 'string') p[level](obj);
    else p[level](obj, msg);
  };
  return {
    trace: call('trace'),
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
    fatal: call('fatal'),
    child: (bindings) => wrap(p.child(bindings)),
    flush: () => p.flush(),
  };
}

/** A logger that drops everything (for tools and tests that do not look at logs). */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', sink: { write: () => undefined } });
}
