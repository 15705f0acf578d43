import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './main';

describe('custodian command line', () => {
  afterEach(() => vi.restoreAllMocks());

  function run(...args: string[]) {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return runCli(['node', 'custodian', ...args]).then((code) => ({
      code,
      stderr: stderr.mock.calls.map(([chunk]) => String(chunk)).join(''),
    }));
  }

  it.each([['abc'], ['-5'], ['1.5'], ['']])('rejects --accounts %j with exit code 2', async (value) => {
    const { code, stderr } = await run('seed', '--accounts', value);
    expect(code).toBe(2);
    expect(stderr).toContain(`argument '${value}' is invalid. Expected a whole number`);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const { code, stderr } = await run('reseed');
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'reseed'");
  });

  it('rejects an invalid environment with exit code 2, naming the variable', async () => {
    vi.stubEnv('DATABASE_URL', 'mysql://somewhere/db');
    try {
      const { code, stderr } = await run('seed', '--accounts', '5');
      expect(code).toBe(2);
      expect(stderr).toContain('DATABASE_URL');
      expect(stderr).not.toContain('somewhere');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
