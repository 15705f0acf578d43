import { defineConfig } from 'vitest/config';
import { testReporters } from '../vitest.reporters.mjs';

export default defineConfig({
  test: { include: ['src/**/*.spec.ts'], reporters: testReporters('shared') },
});
