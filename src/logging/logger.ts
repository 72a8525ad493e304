/** Structured JSON logging (pino): one line per event, secrets redacted by key and by value. */
import { pino, stdSerializers, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config.js';

export type LogMethodLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface Logger {
  trace(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /**
   * A child whose bindings are computed by `bindings()` only when the first call at an enabled level happens, then
   * kept: every line of it carries the same bindings, and a turn that logs nothing builds no child (pino's child
   * runs the redaction over its bindings and rebuilds its level methods: ~18 µs).
   */
  lazyChild(bindings: () => Record<string, unknown>): Logger;
  /** Whether a call at `level` would write a line. */
  isLevelEnabled(level: LogMethodLevel): boolean;
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
  return new PinoBacked(p);
}

/** Our Logger over a pino instance (methods on the prototype: a child costs one object, not a closure per level). */
class PinoBacked implements Logger {
  constructor(private readonly p: PinoLogger) {}

  trace(obj: object | string, msg?: string): void {
    this.write('trace', obj, msg);
  }
  debug(obj: object | string, msg?: string): void {
    this.write('debug', obj, msg);
  }
  info(obj: object | string, msg?: string): void {
    this.write('info', obj, msg);
  }
  warn(obj: object | string, msg?: string): void {
    this.write('warn', obj, msg);
  }
  error(obj: object | string, msg?: string): void {
    this.write('error', obj, msg);
  }
  fatal(obj: object | string, msg?: string): void {
    this.write('fatal', obj, msg);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new PinoBacked(this.p.child(bindings));
  }
  lazyChild(bindings: () => Record<string, unknown>): Logger {
    return new LazyChild(this, () => this.child(bindings()));
  }
  isLevelEnabled(level: LogMethodLevel): boolean {
    return this.p.isLevelEnabled(level);
  }
  flush(): void {
    this.p.flush();
  }

  private write(level: LogMethodLevel, obj: object | string, msg?: string): void {
    if (typeof obj === 'string') this.p[level](obj);
    else this.p[level](obj, msg);
  }
}

/** A child built on the first call at an enabled level of its parent, then used for every call. */
class LazyChild implements Logger {
  private built: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly build: () => Logger,
  ) {}

  trace(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('trace')) this.logger().trace(obj, msg);
  }
  debug(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('debug')) this.logger().debug(obj, msg);
  }
  info(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('info')) this.logger().info(obj, msg);
  }
  warn(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('warn')) this.logger().warn(obj, msg);
  }
  error(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('error')) this.logger().error(obj, msg);
  }
  fatal(obj: object | string, msg?: string): void {
    if (this.parent.isLevelEnabled('fatal')) this.logger().fatal(obj, msg);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new LazyChild(this, () => this.logger().child(bindings));
  }
  lazyChild(bindings: () => Record<string, unknown>): Logger {
    return new LazyChild(this, () => this.logger().child(bindings()));
  }
  isLevelEnabled(level: LogMethodLevel): boolean {
    return this.parent.isLevelEnabled(level);
  }
  flush(): void {
    (this.built ?? this.parent).flush();
  }

  private logger(): Logger {
    return (this.built ??= this.build());
  }
}

/** A logger that drops everything (for tools and tests that do not look at logs). */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', sink: { write: () => undefined } });
}
