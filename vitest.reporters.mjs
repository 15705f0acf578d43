import { join } from 'node:path';

/**
 * Console output always; in CI (CUSTODIAN_TEST_REPORT_DIR set) also a JSON report per package and
 * run, which `.ci/run` adds up into its closing `N passed, N failed` line.
 *
 * Plain ESM JavaScript (types in vitest.reporters.d.mts): each package's Vite or Vitest config
 * imports it, and Vite loads a config's imports as Node itself would, which takes neither
 * TypeScript nor an ES module without its extension from this folder.
 *
 * @param {string} pkg
 * @returns {(string | [string, Record<string, unknown>])[]}
 */
export function testReporters(pkg) {
  const dir = process.env.CUSTODIAN_TEST_REPORT_DIR;
  if (!dir) return ['default'];
  const run = process.env.CUSTODIAN_TEST_REPORT_NAME ?? 'run';
  return ['default', ['json', { outputFile: join(dir, `${pkg}-${run}.json`) }]];
}
