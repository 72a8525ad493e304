/**
 * A real PostgreSQL server for tests. With DATABASE_URL set, that server is used (its user must be allowed to
 * CREATE DATABASE); otherwise a throw-away cluster is made: initdb into a temp dir, pg_ctl start on a free loopback
 * port with the unix socket in the temp dir, stopped and deleted afterwards. Nothing is skipped: with neither,
 * starting fails with a message that says what to install.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PgServer {
  /** True when this helper started the server (so it can stop and start it again). */
  readonly owned: boolean;
  /** Where it runs, for messages ("127.0.0.1:54321"). */
  readonly where: string;
  /** A new, empty database; returns its URL. Dropped by `stop()`. */
  createDatabase(): Promise<string>;
  /** Stops the server (owned clusters only): connection-loss tests. */
  pause(): Promise<void>;
  /** Starts it again on the same port (owned clusters only). */
  resume(): Promise<void>;
  /** Drops the databases made here; stops and deletes a throw-away cluster. */
  stop(): Promise<void>;
}

export interface PgServerOptions {
  /** Durable commits (fsync on) — for benchmarks; tests run without fsync. */
  durable?: boolean;
  maxConnections?: number;
}

const NO_SERVER = [
  'PostgreSQL tests need a server and none was found.',
  'Either install PostgreSQL (Debian: apt-get install -y postgresql; binaries in /usr/lib/postgresql/<version>/bin),',
  'or set DATABASE_URL=postgresql://user:password@host:5432/postgres for a server whose user may CREATE DATABASE.',
  'These tests are not skipped without one.',
].join('\n');

/** The bin directory of the newest installed PostgreSQL (PG_BIN, Debian's /usr/lib/postgresql/<v>/bin, or PATH). */
export function findPgBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debian, v, 'bin'));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(dir);
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

/** A free TCP port on loopback. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The URL of database `name` on the server of `url`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts (or attaches to, with DATABASE_URL) a PostgreSQL server. */
export async function startPostgres(opts: PgServerOptions = {}): Promise<PgServer> {
  const external = process.env.DATABASE_URL?.trim();
  const cluster = external ? undefined : await startCluster(opts);
  const adminUrl = external ?? cluster!.url;
  const made: string[] = [];

  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  return {
    owned: !!cluster,
    where: cluster ? `127.0.0.1:${cluster.port}` : new URL(adminUrl).host,
    async createDatabase() {
      const name = `psa_test_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`)).catch((err: Error) => {
        throw new Error(`Could not create a test database on ${external ? 'DATABASE_URL' : 'the throw-away cluster'}: ${err.message}`);
      });
      made.push(name);
      return withDatabase(adminUrl, name);
    },
    async pause() {
      if (!cluster) throw new Error('pause() needs the throw-away cluster (DATABASE_URL is set)');
      await cluster.pgCtl(['stop', '-m', 'fast', '-w']);
    },
    async resume() {
      if (!cluster) throw new Error('resume() needs the throw-away cluster (DATABASE_URL is set)');
      await cluster.start();
    },
    async stop() {
      if (cluster) return cluster.destroy();
      await admin(async (c) => {
        for (const name of made.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

interface Cluster {
  url: string;
  port: number;
  pgCtl(args: string[]): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function startCluster(opts: PgServerOptions): Promise<Cluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(NO_SERVER);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  // initdb refuses to run as root: as root, the cluster belongs to the `postgres` user Debian's package creates.
  const asRoot = process.getuid?.() === 0;
  const prefix: string[] = [];
  if (asRoot) {
    const owner = systemUser('postgres');
    if (!owner) throw new Error(`Running as root, the throw-away cluster needs the "postgres" user (Debian's postgresql package creates it).\n${NO_SERVER}`);
    fs.chownSync(dir, owner.uid, owner.gid);
    prefix.push('runuser', '-u', 'postgres', '--');
  }
  const exec = async (cmd: string, args: string[]) => {
    const [file, ...rest] = [...prefix, path.join(bin, cmd), ...args];
    try {
      await run(file, rest, { cwd: dir, timeout: 60_000 });
    } catch (err) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${cmd} ${args.join(' ')} failed: ${(err as Error).message}\n${tail}`);
    }
  };
  // Password authentication over TCP, as on a real server (tests of a wrong password mean something).
  const password = randomBytes(12).toString('hex');
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) fs.chownSync(pwfile, fs.statSync(dir).uid, fs.statSync(dir).gid);
  await exec('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']);
  fs.rmSync(pwfile);
  let port = 0;
  const settings = (p: number) => [
    `-c port=${p}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${opts.maxConnections ?? 200}`,
    ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ].join(' ');
  const pgCtl = (args: string[]) => exec('pg_ctl', ['-D', data, '-l', log, ...args]);
  const start = () => pgCtl(['start', '-w', '-t', '60', '-o', settings(port)]);
  for (let attempt = 0; ; attempt++) {
    port = await freeLoopbackPort();
    try {
      await start();
      break;
    } catch (err) {
      if (attempt >= 2) throw err; // the port may have been taken in between: try another
    }
  }
  const stopArgv = [...prefix, path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
  const stopNow = () => spawnSync(stopArgv[0], stopArgv.slice(1), { stdio: 'ignore' });
  // If the test process dies without afterAll, the server must not outlive it.
  process.once('exit', stopNow);
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    pgCtl,
    start,
    async destroy() {
      process.removeListener('exit', stopNow);
      await pgCtl(['stop', '-m', 'immediate', '-w']).catch(() => stopNow());
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function systemUser(name: string): { uid: number; gid: number } | undefined {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
