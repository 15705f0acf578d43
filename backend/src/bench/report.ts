import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStats } from './load';
import type { AuditScenarioKey } from './audit-suite';
import type { ScenarioKey } from './scenarios';

export interface ScenarioResult {
  key: ScenarioKey | AuditScenarioKey;
  title: string;
  inputs: number;
  api: RunStats;
  direct: RunStats;
  /** API p95 / direct p95. */
  ratio: number;
  /** A lookup the API audits: the direct statement followed by the same audit event (audited-lookup.ts). */
  directWithEvent?: RunStats;
  /** API p95 / directWithEvent p95. */
  ratioWithEvent?: number;
  /** CPU time of the API process per successful request, in ms (NaN without /proc). */
  apiCpuMsPerRequest: number;
  /** Whether the API and the direct statement returned the same accounts for the first input. */
  sameRows: boolean;
  /**
   * EXPLAIN (ANALYZE, BUFFERS) of the first input's statement (the audit reads: of the slowest of
   * their first inputs; the audited write: none).
   */
  plan: string;
  sql: string;
}

export interface Target {
  name: string;
  /** The scenario whose figures the target judges. */
  scenario: ScenarioKey | AuditScenarioKey;
  value: number;
  limit: number;
  unit: string;
  /** 'max': value must stay below (or at) the limit; 'min': reach it. */
  kind: 'max' | 'min';
  strict: boolean;
  pass: boolean;
}

/** The targets of the issue, judged on the API's figures. */
export function evaluateTargets(results: ScenarioResult[]): Target[] {
  const by = new Map(results.map((r) => [r.key, r]));
  const targets: Target[] = [];
  const below = (
    scenario: Target['scenario'],
    name: string,
    value: number | undefined,
    limit: number,
    unit: string,
    strict = true,
  ) => {
    if (value === undefined) return;
    const pass = strict ? value < limit : value <= limit;
    targets.push({ name, scenario, value, limit, unit, kind: 'max', strict, pass });
  };
  below('email', 'exact email: API p95 < 50 ms', by.get('email')?.api.p95, 50, 'ms');
  below('handle', 'handle: API p95 < 50 ms', by.get('handle')?.api.p95, 50, 'ms');
  below('firstPage', 'first page: API p95 < 50 ms', by.get('firstPage')?.api.p95, 50, 'ms');
  below('search', 'q name fragment: API p95 < 150 ms', by.get('search')?.api.p95, 150, 'ms');
  const first = by.get('firstPage');
  const deep = by.get('deepPage');
  if (first && deep) {
    below(
      'deepPage',
      'deep page: API p95 <= 2x first page API p95',
      deep.api.p95 / first.api.p95,
      2,
      'x',
      false,
    );
  }
  for (const r of results) {
    // A recorded search is judged against the same work done directly: its statement and its audit
    // event, committed before the answer (DESIGN: searches on personal data are recorded; nothing
    // is lost). The statement alone, without that commit, is printed beside it (formatTable).
    if (r.ratioWithEvent !== undefined) {
      below(
        r.key,
        `${r.key}: API p95 <= 3x direct p95 (with its audit event)`,
        r.ratioWithEvent,
        3,
        'x',
        false,
      );
    } else {
      below(r.key, `${r.key}: API p95 <= 3x direct p95`, r.ratio, 3, 'x', false);
    }
  }
  const email = by.get('email');
  if (email) {
    const value = email.api.requestsPerSecond;
    targets.push({
      name: 'exact email: API >= 1000 req/s',
      scenario: 'email',
      value,
      limit: 1000,
      unit: 'req/s',
      kind: 'min',
      strict: false,
      pass: value >= 1000,
    });
  }
  return targets;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function formatTable(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'API p50',
    'p95',
    'p99',
    'req/s',
    'err',
    'direct p50',
    'p95',
    'p99',
    'req/s',
    'err',
    'API/direct p95',
    'API CPU/req',
  ];
  const rows = results.map((r) => [
    r.title,
    fmt(r.api.p50),
    fmt(r.api.p95),
    fmt(r.api.p99),
    fmt(r.api.requestsPerSecond, 0),
    String(r.api.errors),
    fmt(r.direct.p50),
    fmt(r.direct.p95),
    fmt(r.direct.p99),
    fmt(r.direct.requestsPerSecond, 0),
    String(r.direct.errors),
    `${fmt(r.ratio)}x`,
    fmt(r.apiCpuMsPerRequest, 2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const withEvent = results.flatMap((r) =>
    r.directWithEvent
      ? [
          `${r.title}, direct with its audit event (AuditService): p50 ${fmt(r.directWithEvent.p50)}, ` +
            `p95 ${fmt(r.directWithEvent.p95)}, p99 ${fmt(r.directWithEvent.p99)} ms, ` +
            `${fmt(r.directWithEvent.requestsPerSecond, 0)} req/s, ${r.directWithEvent.errors} errors; ` +
            `API/direct p95 ${fmt(r.ratioWithEvent ?? NaN)}x (the table's ${fmt(r.ratio)}x is against ` +
            `the statement alone, which commits nothing)`,
        ]
      : [],
  );
  return (
    [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') +
    '\n' +
    '(latencies in ms; API and direct measured in turns)\n' +
    withEvent.map((l) => l + '\n').join('')
  );
}

/**
 * The API's cheapest authenticated answer under the same load: what any API answer costs before it
 * reads a table (HTTP, the guard, the pipeline, the JSON), so its p95 over a scenario's direct p95
 * is the lowest API/direct ratio an API answer could have on this machine.
 */
export interface FloorResult {
  path: string;
  api: RunStats;
  apiCpuMsPerRequest: number;
}

export function formatFloor(floor: FloorResult, results: ScenarioResult[]): string {
  const { api } = floor;
  const ratios = results
    .filter((r) => Number.isFinite(r.direct.p95) && r.direct.p95 > 0)
    .map((r) => `${r.key} ${fmt(api.p95 / r.direct.p95)}x`);
  return (
    `API floor: GET ${floor.path} with the token, answered from the token alone (no table read): ` +
    `p50 ${fmt(api.p50)}, p95 ${fmt(api.p95)}, p99 ${fmt(api.p99)} ms, ` +
    `${fmt(api.requestsPerSecond, 0)} req/s, ${api.errors} errors, API CPU ${fmt(floor.apiCpuMsPerRequest, 2)} ms/req\n` +
    `  floor p95 / direct p95, the lowest API/direct ratio any API answer could have: ${ratios.join(', ')}\n`
  );
}

export function formatTargets(targets: Target[]): string {
  return (
    targets
      .map((t) => {
        const op = t.kind === 'min' ? '>=' : t.strict ? '<' : '<=';
        const digits = t.unit === 'x' ? 2 : 1;
        return `${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(48)} ${fmt(t.value, digits)} ${t.unit} (${op} ${t.limit})`;
      })
      .join('\n') + '\n'
  );
}

export function writeJsonReport(dir: string, report: unknown, startedAt: Date): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
