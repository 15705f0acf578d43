// Adds up the test reports of one CI run (Vitest and Playwright JSON) into `N passed, N failed`.
// A step that failed without reporting a failed test (a lint error, a crash) counts as one failure,
// and a skipped test never counts as passed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, stepFailuresArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  if (report.stats && 'expected' in report.stats) {
    // Playwright
    passed += report.stats.expected;
    failed += report.stats.unexpected + report.stats.flaky;
    skipped += report.stats.skipped;
  } else {
    // Vitest
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    if (report.success === false && !report.numFailedTests) failed += 1;
  }
}
const stepFailures = Number(stepFailuresArg ?? 0);
if (stepFailures > 0 && failed === 0) failed = stepFailures;
if (passed === 0 && failed === 0) failed = 1; // a run that ran no test is not a pass
console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
