/**
 * Cold start (issue 10): time from spawning the production build (`node dist/src/index.js`, NODE_ENV=production,
 * ALLOW_LOCAL_MODE=1) until GET /healthz answers 200, with a DATA_DIR holding the realistic 100k-request history
 * of bench/storage.ts (archived month by month), against an empty DATA_DIR on the same machine in the same run.
 * Target: ≤ 2 s. Prints a table and writes bench-results/cold-start.json.
 *   npm run bench      node dist/bench/cold-start.js [runs=5]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../src/paths.js';

const root = fromRoot();
const runs = Number(process.argv[2] ?? 5);
const STORED = 100_000;
const TARGET_MS = 2000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Builds the history with bench/storage.ts in its own process (same data as the storage benchmark's 100k case). */
function buildHistory(dir: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(root, 'dist/bench/storage.js'), 'build', dir, String(STORED), 'archived'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as Record<string, unknown>) : reject(new Error(`history build exited with ${code}`))));
  });
}

/** Spawns the bot on `dataDir` and measures until /healthz is 200; then stops it (SIGTERM) and waits for the exit. */
async function coldStart(dataDir: string): Promise<{ readyMs: number; rssMB: number }> {
  const port = await freePort();
  const started = performance.now();
  const bot = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', ALLOW_LOCAL_MODE: '1', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  bot.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => bot.once('exit', () => resolve()));
  try {
    for (;;) {
      if (bot.exitCode !== null) throw new Error(`bot exited with ${bot.exitCode} before it was ready:\n${stderr}`);
      if (performance.now() - started > 30_000) throw new Error('bot not ready after 30 s');
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const readyMs = performance.now() - started;
    const status = fs.readFileSync(`/proc/${bot.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { readyMs: Math.round(readyMs), rssMB: +(rssKb / 1024).toFixed(1) };
  } finally {
    bot.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-bench-cold-empty-'));
  const full = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-bench-cold-100k-'));
  try {
    process.stderr.write(`cold start: building the ${STORED.toLocaleString('en')}-request history … `);
    const built = await buildHistory(full);
    process.stderr.write(`${built.buildSeconds} s\n`);
    const hotMB = +(fs.statSync(path.join(full, 'requests.json')).size / 1024 / 1024).toFixed(1);
    await coldStart(empty); // first start creates the empty folder's files and warms the OS file cache for the code
    const samples: { empty: { readyMs: number; rssMB: number }[]; history: { readyMs: number; rssMB: number }[] } = { empty: [], history: [] };
    // Alternate, so drift on a shared machine hits both alike.
    for (let i = 0; i < runs; i++) {
      samples.empty.push(await coldStart(empty));
      samples.history.push(await coldStart(full));
    }
    const summary = (xs: { readyMs: number; rssMB: number }[]) => ({
      medianMs: median(xs.map((x) => x.readyMs)),
      maxMs: Math.max(...xs.map((x) => x.readyMs)),
      rssMB: median(xs.map((x) => x.rssMB)),
    });
    const e = summary(samples.empty);
    const h = summary(samples.history);
    const report = {
      benchmark: 'cold start: spawn node dist/src/index.js (NODE_ENV=production, ALLOW_LOCAL_MODE=1) until GET /healthz is 200',
      target: `<= ${TARGET_MS} ms with the ${STORED.toLocaleString('en')}-request history`,
      history: { ...built, hotFileMB: hotMB },
      runs,
      emptyDataDir: e,
      history100k: h,
      ratios: { ready: +(h.medianMs / e.medianMs).toFixed(2), rss: +(h.rssMB / e.rssMB).toFixed(2) },
      met: h.maxMs <= TARGET_MS,
      samples,
      at: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
    };
    fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench-results', 'cold-start.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nCold start to /healthz 200 (${runs} runs each, alternating)`);
    console.table({ 'empty DATA_DIR': e, [`${STORED / 1000}k history (hot ${hotMB} MB)`]: h });
    console.log(`ratios (100k / empty): ready ${report.ratios.ready}×, RSS ${report.ratios.rss}×`);
    console.log(report.met ? `OK: slowest start ${h.maxMs} ms (target <= ${TARGET_MS})` : `OVER TARGET: slowest start ${h.maxMs} ms (target <= ${TARGET_MS})`);
    if (!report.met) process.exitCode = 1;
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
    fs.rmSync(full, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
