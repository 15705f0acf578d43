import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { testReporters } from '../vitest.reporters.mjs';

// `vite build` writes dist/, which the backend serves at `/` next to the API under `/api`.
// In dev mode the same-origin layout is kept by proxying `/api` to a backend on port 3000.
export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000' },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks, so a console release does not re-download the libraries.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            { name: 'mui', test: /node_modules[\\/](@mui|@emotion)[\\/]/, priority: 20 },
            { name: 'react-admin', test: /node_modules[\\/](ra-[^\\/]+|react-admin)[\\/]/, priority: 15 },
            { name: 'vendor', test: /node_modules/, priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    include: ['src/**/*.spec.ts'],
    environment: 'node',
    // Its JSON report too, or CI's closing line would leave the console's tests out.
    reporters: testReporters('frontend'),
  },
});
