/** See vitest.reporters.mjs. */
export function testReporters(pkg: string): (string | [string, Record<string, unknown>])[];
