import { join } from 'node:path';

/**
 * Console output always; in CI (CUSTODIAN_TEST_REPORT_DIR set) also a JSON report per package and
 * run, which `.ci/run` adds up into its closing `N passed, N failed` line.
 */
export function testReporters(pkg: string): (string | [string, Record<string, unknown>])[] {
  const dir = process.env.CUSTODIAN_TEST_REPORT_DIR;
  if (!dir) return ['default'];
  const run = process.env.CUSTODIAN_TEST_REPORT_NAME ?? 'run';
  return ['default', ['json', { outputFile: join(dir, `${pkg}-${run}.json`) }]];
}
