// `pnpm start`: builds what is missing, then serves the API and the console on one port.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.env.npm_execpath;

const parts = [
  { name: '@custodian/shared', output: 'shared/dist/cjs/index.js' },
  { name: '@custodian/backend', output: 'backend/dist/main.js' },
  { name: '@custodian/frontend', output: 'frontend/dist/index.html' },
];

for (const part of parts) {
  if (existsSync(join(root, part.output))) continue;
  console.log(`building ${part.name} ...`);
  const result = pnpm
    ? spawnSync(process.execPath, [pnpm, '--filter', part.name, 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('pnpm', ['--filter', part.name, 'build'], { cwd: root, stdio: 'inherit', shell: true });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const server = spawn(process.execPath, [join(root, 'backend/dist/main.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
