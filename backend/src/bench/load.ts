import autocannon from 'autocannon';
import type { Pool } from 'pg';
import { queryNamed } from '../database/named-query';

export interface RunStats {
  requests: number;
  errors: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadSettings {
  /** Concurrent connections (API) and workers on a pool of as many clients (direct). */
  concurrency: number;
  seconds: number;
}

/** Nearest-rank percentiles over every successful request's latency, in milliseconds. */
export function summarize(latencies: number[], errors: number, seconds: number): RunStats {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;
  return {
    requests: sorted.length,
    errors,
    seconds,
    requestsPerSecond: sorted.length / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

/**
 * Drives the API with autocannon, cycling through `paths`. autocannon's own summary has no 95th
 * percentile, so every response's latency is recorded here; a non-2xx answer counts as an error.
 */
export function runApi(
  baseUrl: string,
  paths: string[],
  token: string,
  settings: LoadSettings,
): Promise<RunStats> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: settings.concurrency,
        pipelining: 1,
        duration: settings.seconds,
        timeout: 10,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        requests: [
          { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        // Connection errors and timeouts never produce a response event.
        resolve(summarize(latencies, errors + result.errors, (performance.now() - started) / 1000));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else errors++;
    });
  });
}

/** Runs the statements straight on PostgreSQL: `concurrency` workers, each waiting for its answer. */
export async function runDirect(
  pool: Pool,
  statements: Array<{ sql: string; params: unknown[]; named?: boolean }>,
  settings: LoadSettings,
): Promise<RunStats> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const statement = statements[next++ % statements.length]!;
      const t0 = performance.now();
      try {
        // Named as the API names it, so both sides plan it alike.
        await (statement.named
          ? queryNamed(pool, statement.sql, statement.params)
          : pool.query(statement.sql, statement.params));
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  return summarize(latencies, errors, (performance.now() - started) / 1000);
}

/**
 * The API alone under `load` (run with `settings`, after an unmeasured warm-up with `warmup`), with
 * its process's CPU time per successful request.
 */
export async function measureApi<S extends RunStats>(run: {
  load: (settings: LoadSettings) => Promise<S>;
  cpuSeconds: () => number;
  settings: LoadSettings;
  warmup: LoadSettings;
}): Promise<{ api: S; apiCpuMsPerRequest: number }> {
  if (run.warmup.seconds > 0) await run.load(run.warmup);
  const cpuBefore = run.cpuSeconds();
  const api = await run.load(run.settings);
  const apiCpuMsPerRequest = ((run.cpuSeconds() - cpuBefore) * 1000) / Math.max(api.requests, 1);
  return { api, apiCpuMsPerRequest };
}

/**
 * One scenario's measured pair: the API under load (with the API process's CPU time per request),
 * then the same statements straight on PostgreSQL, each after an unmeasured warm-up.
 */
export async function measureApiAndDirect(run: {
  baseUrl: string;
  token: string;
  paths: string[];
  pool: Pool;
  statements: Array<{ sql: string; params: unknown[] }>;
  cpuSeconds: () => number;
  settings: LoadSettings;
  warmup: LoadSettings;
}): Promise<{ api: RunStats; direct: RunStats; ratio: number; apiCpuMsPerRequest: number }> {
  const { baseUrl, token, paths, pool, statements, settings, warmup } = run;
  const { api, apiCpuMsPerRequest } = await measureApi({
    ...run,
    load: (load) => runApi(baseUrl, paths, token, load),
  });
  if (warmup.seconds > 0) await runDirect(pool, statements, warmup);
  const direct = await runDirect(pool, statements, settings);
  return { api, direct, ratio: api.p95 / direct.p95, apiCpuMsPerRequest };
}
