/**
 * Turn throughput and latency: the production build of the bot against a bare botbuilder echo bot on the same
 * restify/CloudAdapter stack, same machine, same run, same HTTP load (autocannon, 50 connections, expectReplies).
 * Prints a table and writes bench-results/turns.json. Ratios are what matter on shared machines.
 *   npm run bench            (all benchmarks)      node dist/bench/turns.js [seconds]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { baseTurns, cycle, setServiceUrl, waitHealthy, type Turn } from './workload.js';
import { extraTurns, prepare, startConnectorSink } from './workload-capabilities.js';

const root = process.cwd();
const seconds = Number(process.argv[2] ?? 10);
const connections = 50;


function start(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Result {
  name: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
}

async function load(name: string, port: number, turns: Turn[]): Promise<Result> {
  const order = cycle(turns);
  let i = 0;
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/api/messages`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(order[i++ % order.length].body()) }),
      },
    ],
  });
  return { name, requestsPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, total: r.requests.total };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-bench-'));
  const sink = await startConnectorSink();
  setServiceUrl(sink.url);
  const botPort = 4100 + Math.floor(Math.random() * 500);
  const echoPort = botPort + 1;
  const bot = start(path.join(root, 'dist/src/index.js'), [], { NODE_ENV: 'production', ALLOW_LOCAL_MODE: '1', PORT: String(botPort), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const echo = start(path.join(root, 'dist/bench/echo-bot.js'), [String(echoPort)], {});
  try {
    await Promise.all([waitHealthy(botPort), waitHealthy(echoPort)]);
    const only = process.env.BENCH_TURNS?.split(',').filter(Boolean); // e.g. BENCH_TURNS=help,ids to isolate turn kinds
    const turns = [...baseTurns, ...extraTurns].filter((t) => !only || only.includes(t.name));
    await prepare(botPort);
    // warm-up, then alternate echo/bot twice so drift on a shared machine hits both alike
    await load('warm-up', botPort, turns);
    await load('warm-up', echoPort, turns);
    const runs: Result[] = [];
    for (let k = 0; k < 2; k++) {
      runs.push(await load('echo', echoPort, turns));
      runs.push(await load('bot', botPort, turns));
    }
    const avg = (n: string) => {
      const rs = runs.filter((r) => r.name === n);
      const mean = (f: (r: Result) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
      return { name: n, requestsPerSec: mean((r) => r.requestsPerSec), p50: mean((r) => r.p50), p99: mean((r) => r.p99), non2xx: rs.reduce((s, r) => s + r.non2xx, 0), errors: rs.reduce((s, r) => s + r.errors, 0), total: rs.reduce((s, r) => s + r.total, 0) };
    };
    const e = avg('echo');
    const b = avg('bot');
    const ratios = { throughput: b.requestsPerSec / e.requestsPerSec, p99: b.p99 / e.p99, p50: b.p50 / e.p50 };
    const out = { when: new Date().toISOString(), seconds, connections, workload: turns.map((t) => `${t.name}×${t.weight}`), echo: e, bot: b, ratios, targets: { throughput: '>= 0.7', p99: '<= 2' }, runs };
    fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench-results', only ? `turns-${only.join('-')}.json` : 'turns.json'), JSON.stringify(out, null, 2));
    console.log(`\nTurns (${connections} connections, ${seconds}s × 2 runs each, expectReplies, workload: ${out.workload.join(', ')})`);
    console.table({ echo: e, bot: b });
    console.log(`ratios: throughput ${ratios.throughput.toFixed(2)}× (target ≥ 0.7), p99 ${ratios.p99.toFixed(2)}× (target ≤ 2), p50 ${ratios.p50.toFixed(2)}×`);
  } finally {
    bot.kill('SIGTERM');
    echo.kill('SIGTERM');
    sink.close();
  }
}

void main();
