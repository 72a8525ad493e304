#!/usr/bin/env node
// `npm run dev`: build, start the bot with its embedded defaults (sample organisation, lowdb in ./data),
// then the Microsoft 365 Agents Playground pointed at it. Ctrl-C stops both (the bot shuts down gracefully).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '3978';
const playgroundPort = process.env.PLAYGROUND_PORT ?? '56150';

const build = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const bot = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
  cwd: root,
  stdio: 'inherit',
  env: { DATA_DIR: path.join(root, 'data'), LOG_LEVEL: 'info', ...process.env, PORT: port },
});
bot.on('exit', (code) => {
  if (!stopping) {
    console.error(`The bot exited (code ${code}).`);
    stop(code ?? 1);
  }
});

async function waitForHealth() {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the bot did not become healthy within 10 s');
}

let playground;
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  playground?.kill('SIGTERM');
  bot.kill('SIGTERM');
  bot.once('exit', () => process.exit(code));
  setTimeout(() => process.exit(code), 11000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await waitForHealth();
playground = spawn(
  process.execPath,
  [path.join(root, 'node_modules/@microsoft/m365agentsplayground/cli.js'), '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '-p', playgroundPort, '--dt'],
  { cwd: root, stdio: 'inherit', env: { TEAMSAPPTESTER_BROWSER: 'none', ...process.env } },
);
console.log(`\nPartner Support Assistant is running on http://localhost:${port}/api/messages`);
console.log(`Open the Agents Playground at http://localhost:${playgroundPort} (you are Adele Vance; see .m365agentsplayground.yml to switch user).\n`);
