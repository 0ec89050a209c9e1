import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { PROJECT_ROOT } from '../../browser/support/server';

export { PROJECT_ROOT };

/** The compiled server that `npm start` runs. */
export const DIST = path.join(PROJECT_ROOT, 'dist');

export interface CompiledServer {
  /** Stands in for dist/: pass it to `startBuiltServer` and `runMessages`. */
  dir: string;
  remove(): void;
}

/**
 * Compiles src/ as `npm run build` does, into a folder of its own beside dist/ (so paths from it
 * resolve the same way), leaving dist/ alone for other test files reading it meanwhile. Types
 * are not checked here: `npm run lint` does that. The stylesheet stays the one in dist/assets,
 * which the global setup builds.
 */
export function compileServer(): CompiledServer {
  const dir = fs.mkdtempSync(path.join(PROJECT_ROOT, '.test-dist-'));
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(
      process.execPath,
      [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.json'), '--outDir', dir, '--noCheck', '--sourceMap', 'false'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'pipe',
      },
    );
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Compiles the server once for the test file that calls this (in beforeAll) and removes it
 * afterwards (afterAll). Returns the folder to pass to `startBuiltServer` and `runMessages`.
 */
export function useCompiledServer(): () => string {
  let build: CompiledServer | undefined;
  beforeAll(() => {
    build = compileServer();
  });
  afterAll(() => build?.remove());
  return () => {
    if (!build) throw new Error('the server is compiled in beforeAll: call the returned function inside a test');
    return build.dir;
  };
}

/** The environment a child gets: ours without any ticket system or database settings, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // No drain on SIGTERM unless a test asks for one: there is no load balancer to wait for.
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: '0' };
  for (const name of ['ZENDESK_URL', 'ZENDESK_EMAIL', 'ZENDESK_API_TOKEN', 'DATABASE_URL', 'DATA_DIR', 'PORT', 'NODE_ENV'])
    delete base[name];
  return { ...base, ...env };
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** Every line the server wrote to stdout. */
  lines: string[];
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it has not gone in 10 s. */
  stop(): Promise<void>;
}

/** Spawns `node <build>/cli/server.js` with PORT=0 and resolves once it logs the port it bound. */
export async function startBuiltServer(env: Record<string, string>, build = DIST): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(build, 'cli', 'server.js')], {
    cwd: PROJECT_ROOT,
    env: childEnv({ PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not log its port in 60 s:\n${lines.join('\n')}\n${stderr}`)), 60_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { port?: unknown };
        if (typeof entry.port === 'number') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a log line
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${lines.join('\n')}\n${stderr}`));
    });
  });
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs what `npm run messages -- <args>` runs (`node <build>/cli/messages.js`) and returns what
 * it printed and its exit code.
 */
export function runMessages(
  args: string[],
  env: Record<string, string>,
  build = DIST,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const script = path.join(build, 'cli', 'messages.js');
    execFile(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env: childEnv(env) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
