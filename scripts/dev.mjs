// `pnpm dev`: the API with reload on change (tsc --watch + node --watch) and the console through
// Vite's dev server with hot module reload on http://localhost:5173 (it proxies /api to the API).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.env.npm_execpath;
const run = (args, cwd = root) =>
  pnpm
    ? [process.execPath, [pnpm, ...args], { cwd, stdio: 'inherit' }]
    : ['pnpm', args, { cwd, stdio: 'inherit', shell: true }];

for (const name of ['@custodian/shared', '@custodian/backend']) {
  const result = spawnSync(...run(['--filter', name, 'build']));
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const children = [
  spawn(
    ...run([
      '--filter',
      '@custodian/backend',
      'exec',
      'tsc',
      '-p',
      'tsconfig.build.json',
      '--watch',
      '--preserveWatchOutput',
    ]),
  ),
  spawn(process.execPath, ['--watch', join(root, 'backend/dist/main.js')], { cwd: root, stdio: 'inherit' }),
  spawn(...run(['--filter', '@custodian/frontend', 'dev'])),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
