import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { vi } from 'vitest';
import { runCli } from '../../src/cli/main';

/**
 * What the command-line tests share: a database of their own on the server (when DATABASE_URL is
 * set; the embedded one otherwise lives in the test's temp folder), and a command run in-process
 * with its environment and its output captured.
 */
export interface ServerDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the DATABASE_URL server, or undefined without one. */
export async function createServerDatabase(prefix: string): Promise<ServerDatabase | undefined> {
  const server = process.env.DATABASE_URL;
  if (!server) return undefined;
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: server });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs `custodian ARGS` with these environment variables; its exit code and what it printed. */
export async function runCommand(env: Record<string, string>, args: string[]) {
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await runCli(['node', 'custodian', ...args]);
    return {
      code: process.exitCode && code === 0 ? Number(process.exitCode) : code,
      stdout: out.mock.calls.map(([c]) => String(c)).join(''),
      stderr: err.mock.calls.map(([c]) => String(c)).join(''),
    };
  } finally {
    process.exitCode = 0;
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}
