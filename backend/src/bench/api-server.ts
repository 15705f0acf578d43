import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface ApiServer {
  baseUrl: string;
  /** The last lines the server printed (it logs at warn level only). */
  output(): string[];
  /**
   * CPU seconds (user + system) the server process has used so far, from /proc; NaN where there
   * is no /proc. Per request, it is the API's own cost, which waiting on a busy machine does not
   * inflate the way it inflates latency.
   */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Asks the OS for a port nobody listens on. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

/**
 * Runs the built API (`backend/dist/main.js`) as a child process against the benchmark database,
 * configured as in production, and waits until it answers its health check. The child is killed
 * by `stop()` and, should the benchmark itself die, when this process exits.
 */
export async function startApiServer(databaseUrl: string, timeoutMs = 90_000): Promise<ApiServer> {
  const port = await freePort();
  const entry = resolve(__dirname, '../main.js');
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API under load.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      CUSTODIAN_DEMO: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // No signed checkpoints: they would be signed with this run's throwaway key, and a later
      // verification of the benchmark database with another key would report them as forged.
      AUDIT_CHECKPOINT_MINUTES: '0',
      // Production insists on a secret; this one lives as long as the benchmark's server.
      CUSTODIAN_SECRET: process.env.CUSTODIAN_SECRET ?? randomBytes(32).toString('base64url'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A session of its own, as a server has. On Linux with autogroup scheduling (on here), a
    // session is one scheduling group: in the benchmark's session, the API and the load driving it
    // shared one group's share of the CPUs against PostgreSQL's, a handicap the direct side (the
    // benchmark's client alone against PostgreSQL) did not have. Measured: first page 1,500 req/s
    // in the benchmark's session and 1,800-2,200 in its own, minutes apart.
    detached: true,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const server: ApiServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => [...lines],
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
  };
  try {
    await waitForHealth(server.baseUrl, child, timeoutMs);
  } catch (error) {
    await server.stop();
    const tail = lines.length ? `\nLast output of the server:\n  ${lines.slice(-15).join('\n  ')}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${tail}`, { cause: error });
  }
  return server;
}

/** utime + stime of a process, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 a second on Linux). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `The API exited (${child.exitCode ?? child.signalCode}) before it answered /api/health.`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The API did not answer /api/health within ${timeoutMs / 1000} s.`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
