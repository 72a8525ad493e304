/**
 * CPU per turn, by turn kind: the production build of the bot and the bare echo bot (bench/echo-bot.ts) get the same
 * fixed number of requests (autocannon, 50 connections, expectReplies) one kind at a time, and the CPU time each
 * process used (user + system, from /proc) is divided by the requests. Unlike requests/s this does not depend on
 * how the 2 shared cores were split with the load generator; it says which turn costs what. Linux only.
 *   node dist/bench/turn-cpu.js [requests per kind]        (part of npm run bench) → bench-results/turn-cpu.json
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { baseTurns, cycle, setServiceUrl, waitHealthy, type Turn } from './workload.js';
import { extraTurns, prepare, startConnectorSink } from './workload-capabilities.js';

const root = process.cwd();
const amount = Number(process.argv[2] ?? 4000);
const TICK_MS = 1000 / 100; // /proc/<pid>/stat counts in clock ticks (USER_HZ = 100 on Linux)

function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
}


async function run(port: number, proc: ChildProcess, turns: Turn[]): Promise<{ cpuMsPerTurn: number; p50: number; p99: number; non2xx: number }> {
  const order = cycle(turns);
  let i = 0;
  const before = cpuMs(proc.pid!);
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/api/messages`,
    connections: 50,
    amount,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify(order[i++ % order.length].body()) }) }],
  });
  return { cpuMsPerTurn: (cpuMs(proc.pid!) - before) / amount, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const sink = await startConnectorSink();
  setServiceUrl(sink.url);
  const botPort = 4600 + Math.floor(Math.random() * 300);
  const echoPort = botPort + 1;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-turn-cpu-'));
  const bot = spawn(process.execPath, [path.join(root, 'dist/src/index.js')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', ALLOW_LOCAL_MODE: '1', PORT: String(botPort), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const echo = spawn(process.execPath, [path.join(root, 'dist/bench/echo-bot.js'), String(echoPort)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await Promise.all([waitHealthy(botPort), waitHealthy(echoPort)]);
    await prepare(botPort);
    const all = [...baseTurns, ...extraTurns];
    await run(botPort, bot, all); // warm-up
    await run(echoPort, echo, all);
    const rows: Record<string, { echoCpuMs: number; botCpuMs: number; ratio: number; botP50: number; botP99: number; non2xx: number }> = {};
    for (const kind of [...all.map((t) => t.name), 'mix']) {
      const turns = kind === 'mix' ? all : all.filter((t) => t.name === kind);
      const e = await run(echoPort, echo, turns);
      const b = await run(botPort, bot, turns);
      rows[kind] = { echoCpuMs: round(e.cpuMsPerTurn), botCpuMs: round(b.cpuMsPerTurn), ratio: round(b.cpuMsPerTurn / e.cpuMsPerTurn), botP50: b.p50, botP99: b.p99, non2xx: b.non2xx };
    }
    fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench-results', 'turn-cpu.json'), JSON.stringify({ when: new Date().toISOString(), requestsPerKind: amount, rows }, null, 2));
    console.log(`\nCPU per turn (ms of user + system CPU per request, ${amount} requests per kind, 50 connections, expectReplies)`);
    console.table(rows);
  } finally {
    bot.kill('SIGTERM');
    echo.kill('SIGTERM');
    sink.close();
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

void main();
