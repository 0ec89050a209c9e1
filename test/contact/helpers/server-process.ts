import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { buildServer, PROJECT_ROOT } from '../../browser/support/server';

export { buildServer, PROJECT_ROOT };

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

/** Spawns `node dist/cli/server.js` with PORT=0 and resolves once it logs the port it bound. */
export async function startBuiltServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'server.js')], {
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

/** Runs `npm run messages -- <args>` and returns what it printed and its exit code. */
export function runMessages(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'messages', '--', ...args], { cwd: PROJECT_ROOT, env: childEnv(env) }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
