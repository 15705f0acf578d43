import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters.mjs';

// SWC compiles the tests so NestJS and TypeORM decorators get their emitted metadata, as tsc does.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    reporters: testReporters('backend'),
    // Each file boots its own database (embedded, or a fresh database on the server); two at a
    // time suits this 2-core machine.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
