import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Compiles the server exactly as `npm start` does (its prestart script). */
export function buildServer(): void {
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
  }
}

export interface RunningServer {
  /** http://127.0.0.1:<port>, also the server's BASE_URL. */
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
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

const START_TIMEOUT_MS = 30_000;

/**
 * Spawns `node dist/cli/server.js` on a free port with BASE_URL set to match, so absolute links the
 * site prints (canonical, "Link to this reference") point back at it. Resolves once the server
 * logs "listening". `env` adds or overrides variables, e.g. CONTENT_DIR.
 */
async function startOnce(env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), BASE_URL: baseUrl, LOG_LEVEL: 'info', ...env };
  // Run it as `npm start` would, not in jest's test mode (which silences logs).
  delete childEnv.NODE_ENV;
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'cli', 'server.js')], {
    cwd: PROJECT_ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const remember = (line: string): void => {
    output.push(line);
    if (output.length > 50) output.shift();
  };
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => remember(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Server did not log "listening" within ${START_TIMEOUT_MS} ms:\n${output.join('\n')}`));
    }, START_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      remember(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening') {
          clearTimeout(timer);
          resolve();
        }
      } catch {
        // not a log line
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with code ${code} before listening:\n${output.join('\n')}`));
    });
  });

  let stopping = false;
  const stop = async (): Promise<void> => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  void exited.then((code) => {
    if (!stopping)
      process.stderr.write(
        `The site server (pid ${child.pid}) stopped unexpectedly: exit ${code}, signal ${child.signalCode}\n${output.join('\n')}\n`,
      );
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return { baseUrl, pid: child.pid!, stop };
}

/** Starts the built server; retries on a new port if another process took the free one first. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startOnce(env);
    } catch (error) {
      lastError = error;
      if (!String(error).includes('EADDRINUSE')) break;
    }
  }
  throw lastError;
}
