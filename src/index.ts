/** Process entry: load config, start the app, stop gracefully on SIGTERM/SIGINT; `--check-config` only checks. */
import fs from 'node:fs';
import { startApp } from './app.js';
import { checkConfig } from './check-config.js';
import { ConfigError, loadConfig } from './config.js';
import { fromRoot } from './paths.js';

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0'; // the version is informative only
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--check-config')) {
    const result = checkConfig(process.env, version());
    (result.code === 0 ? process.stdout : process.stderr).write(`${result.lines.join('\n')}\n`);
    process.exitCode = result.code;
    return;
  }
  let config;
  try {
    config = loadConfig(process.env, version());
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  let app;
  try {
    app = await startApp(config);
  } catch (err) {
    process.stderr.write(`Partner Support Assistant could not start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const stop = (signal: string) => {
    process.stderr.write(`${signal} received, stopping\n`);
    const hard = setTimeout(() => process.exit(1), 10_000);
    hard.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void main();
