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

/** What one run saw, before percentiles: the slices of an interleaved measurement add up. */
interface Sample {
  latencies: number[];
  errors: number;
  seconds: number;
}

function merge(samples: Sample[]): Sample {
  return {
    latencies: samples.flatMap((s) => s.latencies),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    seconds: samples.reduce((n, s) => n + s.seconds, 0),
  };
}

const stats = (s: Sample) => summarize(s.latencies, s.errors, s.seconds);

/**
 * Drives the API with autocannon, cycling through `paths`. autocannon's own summary has no 95th
 * percentile, so every response's latency is recorded here; a non-2xx answer counts as an error.
 */
export async function runApi(
  baseUrl: string,
  paths: string[],
  token: string,
  settings: LoadSettings,
): Promise<RunStats> {
  return stats(await sampleApi(baseUrl, paths, token, settings));
}

function sampleApi(baseUrl: string, paths: string[], token: string, settings: LoadSettings): Promise<Sample> {
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
        resolve({ latencies, errors: errors + result.errors, seconds: (performance.now() - started) / 1000 });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else errors++;
    });
  });
}

export interface DirectStatement {
  sql: string;
  params: unknown[];
  named?: boolean;
}

/**
 * What a lookup does after its statement, timed with it: the audit event the API records for a
 * search on personal data, written the way the API writes it.
 */
export type AfterLookup = (statementIndex: number, rows: unknown[]) => Promise<unknown>;

/** Runs the statements straight on PostgreSQL: `concurrency` workers, each waiting for its answer. */
async function sampleDirect(
  pool: Pool,
  statements: DirectStatement[],
  settings: LoadSettings,
  after?: AfterLookup,
): Promise<Sample> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + settings.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const index = next++ % statements.length;
      const statement = statements[index]!;
      const t0 = performance.now();
      try {
        // Named as the API names it, so both sides plan it alike.
        const rows = statement.named
          ? await queryNamed(pool, statement.sql, statement.params)
          : (await pool.query(statement.sql, statement.params)).rows;
        if (after) await after(index, rows);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
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

/** Slices each side's measured time is cut into, taken in turns. */
export const ROUNDS = 5;

export interface Measured {
  api: RunStats;
  direct: RunStats;
  /** API p95 / direct p95. */
  ratio: number;
  apiCpuMsPerRequest: number;
  /** With `after`: the direct statements each followed by that step, their audit event. */
  directWithEvent?: RunStats;
  ratioWithEvent?: number;
}

/**
 * One scenario's measured pair: the API under load (with the API process's CPU time per request)
 * and the same statements straight on PostgreSQL, in turns: ROUNDS slices of each, API then direct
 * (then direct with `after`), after an unmeasured warm-up of each. Taken one after the other, ten
 * seconds each, the two sides saw different machines: this shared machine's speed drifts within
 * a minute (the same API build measured 0.50 and 0.84 ms of CPU per request ten minutes apart).
 */
export async function measureApiAndDirect(run: {
  baseUrl: string;
  token: string;
  paths: string[];
  pool: Pool;
  statements: DirectStatement[];
  after?: AfterLookup;
  cpuSeconds: () => number;
  settings: LoadSettings;
  warmup: LoadSettings;
}): Promise<Measured> {
  const { baseUrl, token, paths, pool, statements, after, settings, warmup } = run;
  if (warmup.seconds > 0) {
    await sampleApi(baseUrl, paths, token, warmup);
    await sampleDirect(pool, statements, warmup);
    if (after) await sampleDirect(pool, statements, warmup, after);
  }
  const slice: LoadSettings = { ...settings, seconds: Math.max(1, Math.round(settings.seconds / ROUNDS)) };
  const api: Sample[] = [];
  const direct: Sample[] = [];
  const directWithEvent: Sample[] = [];
  let cpuSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const cpuBefore = run.cpuSeconds();
    api.push(await sampleApi(baseUrl, paths, token, slice));
    cpuSeconds += run.cpuSeconds() - cpuBefore;
    direct.push(await sampleDirect(pool, statements, slice));
    if (after) directWithEvent.push(await sampleDirect(pool, statements, slice, after));
  }
  const apiStats = stats(merge(api));
  const directStats = stats(merge(direct));
  const measured: Measured = {
    api: apiStats,
    direct: directStats,
    ratio: apiStats.p95 / directStats.p95,
    apiCpuMsPerRequest: (cpuSeconds * 1000) / Math.max(apiStats.requests, 1),
  };
  if (after) {
    measured.directWithEvent = stats(merge(directWithEvent));
    measured.ratioWithEvent = apiStats.p95 / measured.directWithEvent.p95;
  }
  return measured;
}
