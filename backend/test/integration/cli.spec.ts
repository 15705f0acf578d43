import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { AuditAction } from '@custodian/shared';
import { AuditService } from '../../src/audit/audit.service';
import { chainHash } from '../../src/audit/canonical';
import { CheckpointSigner } from '../../src/audit/checkpoint-signer';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/database/embedded';
import { appendAuditEvents } from '../factories/audit.factory';
import { createServerDatabase, runCommand, type ServerDatabase } from './cli-runner';
import { BUNDLE_TAMPERINGS, TAMPERINGS, withTampering } from './tamper';

/**
 * The command line against a database of its own: a fresh embedded one in a temp folder, or a
 * fresh database on the server when DATABASE_URL is set.
 */
let dataDir: string;
let serverDb: ServerDatabase | undefined;
/** While a test holds the embedded database open itself, the commands reach it at this URL. */
let sharedUrl: string | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'custodian-cli-'));
  serverDb = await createServerDatabase('custodian_cli');
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await serverDb?.drop();
});

function cli(...args: string[]) {
  return runCommand({ CUSTODIAN_DATA_DIR: dataDir, DATABASE_URL: sharedUrl ?? serverDb?.url ?? '' }, args);
}

describe('custodian staff create and audit verify', () => {
  it('creates the first admin with a one-time password, once, and audits it', async () => {
    const first = await cli(
      'staff',
      'create',
      '--email',
      'First.Admin@Company.test',
      '--role',
      'admin',
      '--name',
      'First Admin',
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Created first.admin@company.test (admin)');
    const password = first.stdout.trim().split('\n').pop()!;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);

    const again = await cli('staff', 'create', '--email', 'second@company.test', '--role', 'admin');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an active admin exists already');

    const verify = await cli('audit', 'verify');
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^Valid: 1 events verified up to #1/);
  });

  it('exports a bundle that verifies offline, and names the event of a tampered copy', async () => {
    const file = join(dataDir, 'bundle.jsonl');
    const exported = await cli('audit', 'export', '--from', '2020-01-01', '--out', file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^Wrote 1 events \(#1 to #1\) and 1 signed checkpoints/);
    const ok = await cli('audit', 'verify-bundle', file);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^Valid: 1 events \(#1 to #1\) and 1 signed checkpoints/);

    const { readFileSync, writeFileSync } = await import('node:fs');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const edited = lines.map((l) => l.replace('"first.admin@company.test"', '"someone.else@company.test"'));
    expect(edited).not.toEqual(lines);
    writeFileSync(join(dataDir, 'edited.jsonl'), edited.join('\n'));
    const bad = await cli('audit', 'verify-bundle', join(dataDir, 'edited.jsonl'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('BROKEN at #1: its content does not match its hash.\n');

    const cut = lines.filter((l) => !l.includes('"type":"event"'));
    writeFileSync(join(dataDir, 'cut.jsonl'), cut.join('\n'));
    const tail = await cli('audit', 'verify-bundle', join(dataDir, 'cut.jsonl'));
    expect(tail.code).toBe(1);
    expect(tail.stdout).toMatch(/missing \(signed checkpoint\)/);
  });

  it('refuses a role that does not exist', async () => {
    const res = await cli('staff', 'create', '--email', 'x@company.test', '--role', 'root');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('Expected one of: support, engineer, supervisor, auditor, admin');
  });
});

describe('custodian audit verify and verify-bundle name each kind of tampering', () => {
  let embedded: EmbeddedDatabase | undefined;
  let db: DataSource;
  let head: number;
  let bundle: string[];
  let keyId: string;
  const query = (sql: string, params?: unknown[]) => db.query(sql, params);
  /** The "BROKEN at #n: problem." line of a failed check, taken apart. */
  const broken = (stdout: string) => {
    const match = /^BROKEN at #(\d+): (.*?)\.(?: \d+ events before it verify\.)?\n$/.exec(stdout);
    return match ? { seq: Number(match[1]), problem: match[2]! } : { seq: NaN, problem: stdout };
  };

  beforeAll(async () => {
    // The embedded database allows one process; the test and the commands share it over its socket.
    if (!serverDb) {
      embedded = await startEmbeddedDatabase(dataDir);
      sharedUrl = embedded.url;
    }
    db = createDataSource(sharedUrl ?? serverDb!.url, 1);
    await db.initialize();
    await appendAuditEvents(db, 12);
    // The export signs a checkpoint of the head first, so a cut-off tail shows.
    const file = join(dataDir, 'tamper.jsonl');
    const exported = await cli('audit', 'export', '--out', file);
    expect(exported.code, exported.stderr).toBe(0);
    keyId = /signed with key ([0-9a-f]{16})\.$/m.exec(exported.stdout)![1]!;
    bundle = readFileSync(file, 'utf8').trim().split('\n');
    head = Number((await db.query(`SELECT max(seq)::int AS head FROM audit_event`))[0].head);
    expect(head).toBeGreaterThanOrEqual(8);
    const ok = await cli('audit', 'verify');
    expect(ok.stdout).toMatch(new RegExp(`^Valid: ${head} events verified up to #${head} `));
  });

  afterAll(async () => {
    await db?.destroy();
    await embedded?.stop();
    sharedUrl = undefined;
  });

  for (const tampering of TAMPERINGS) {
    it(`audit verify: ${tampering.name}`, async () => {
      const res = await withTampering(query, tampering.sql(head), () => cli('audit', 'verify'));
      expect(res.code, res.stdout + res.stderr).toBe(1);
      const { seq, problem } = broken(res.stdout);
      expect(seq, res.stdout).toBe(tampering.firstInvalidSeq(head));
      expect(problem).toMatch(tampering.problem);
    });
  }

  it('verify-bundle: the untouched bundle', async () => {
    const res = await cli('audit', 'verify-bundle', join(dataDir, 'tamper.jsonl'));
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^Valid: ${head} events \\(#1 to #${head}\\)`));
  });

  it('verify-bundle: the untouched bundle, against the key it must be signed with', async () => {
    const res = await cli('audit', 'verify-bundle', '--key-id', keyId, join(dataDir, 'tamper.jsonl'));
    expect(res.code, res.stdout).toBe(0);
    expect(res.stdout).toContain(`signed with the trusted key ${keyId}.`);
  });

  /** verify-bundle of a changed copy of the bundle, with these options. */
  const verifyCopy = async (lines: string[], ...options: string[]) => {
    const file = join(dataDir, 'tampered.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    return cli('audit', 'verify-bundle', ...options, file);
  };
  const events = () => bundle.map((l) => JSON.parse(l)).filter((l) => l.type === 'event');
  const lineOf = (seq: number) =>
    bundle.find((l) => JSON.parse(l).seq === String(seq) && l.includes('"event"'))!;

  it('verify-bundle: the newest lines cut off together with the checkpoints that sign them', async () => {
    const cut = bundle.filter(
      (l) => !l.startsWith('{"type":"checkpoint"') && !(JSON.parse(l).seq >= head - 1),
    );
    const res = await verifyCopy(cut);
    expect(res.code, res.stdout).toBe(1);
    expect(res.stdout).toBe(
      `BROKEN at #1: events #1 to #${head - 2} are not covered by a signed checkpoint.\n`,
    );
  });

  it('verify-bundle: two whole lines exchanged, and a forged line with a good hash', async () => {
    const exchanged = bundle.map((l) => (l === lineOf(3) ? lineOf(4) : l === lineOf(4) ? lineOf(3) : l));
    expect((await verifyCopy(exchanged)).stdout).toBe('BROKEN at #4: event #3 is missing.\n');

    // A forger can compute a hash without any key: the line links and hashes, the seq repeats.
    const fourth = events().find((e) => e.seq === '4');
    const content = { ...fourth.content, action: 'forged' };
    const forged = {
      ...fourth,
      seq: '5',
      prevHash: fourth.hash,
      content,
      hash: chainHash(fourth.hash, '5', content),
    };
    const inserted = bundle.flatMap((l) => (l === lineOf(4) ? [l, JSON.stringify(forged)] : [l]));
    expect((await verifyCopy(inserted)).stdout).toBe('BROKEN at #5: event #5 appears again, out of order.\n');
  });

  it('verify-bundle: an event line cut in the middle', async () => {
    const cut = bundle.map((l) => (l === lineOf(6) ? l.slice(0, 40) : l));
    expect((await verifyCopy(cut)).stdout).toBe(
      `BROKEN at #6: line ${bundle.indexOf(lineOf(6)) + 1} is not valid JSON.\n`,
    );
  });

  it('verify-bundle: a rewritten copy re-hashed and re-signed with another key', async () => {
    // Everything but the key can be redone offline: edit #3, re-hash from there, sign anew.
    const forger = new CheckpointSigner(randomBytes(32).toString('base64'), 'unused');
    let prev = '';
    const rehashed = new Map<string, string>();
    const rewritten = bundle.map((line) => {
      const item = JSON.parse(line);
      if (item.type === 'header') return JSON.stringify({ ...item, publicKey: forger.publicKeyPem });
      if (item.type === 'checkpoint') {
        const hash = rehashed.get(item.seq) ?? item.hash;
        return JSON.stringify({
          ...item,
          hash,
          keyId: forger.keyId,
          signature: forger.sign(item.seq, hash, item.signedAt),
        });
      }
      if (item.seq === '3') item.content = { ...item.content, reason: 'history rewritten' };
      if (Number(item.seq) >= 3) {
        item.prevHash = prev;
        item.hash = chainHash(prev, item.seq, item.content);
      }
      prev = item.hash;
      rehashed.set(item.seq, item.hash);
      return JSON.stringify(item);
    });
    const unpinned = await verifyCopy(rewritten);
    expect(unpinned.code, unpinned.stdout).toBe(0);
    expect(unpinned.stdout).toContain(`key ${forger.keyId} (not checked: see --key-id)`);
    const pinned = await verifyCopy(rewritten, '--key-id', keyId);
    expect(pinned.code).toBe(1);
    expect(pinned.stdout).toBe(
      `BROKEN at #?: it is signed with key ${forger.keyId}, not the trusted key ${keyId}.\n`,
    );
  });

  for (const tampering of BUNDLE_TAMPERINGS) {
    it(`verify-bundle: ${tampering.name}`, async () => {
      const file = join(dataDir, 'tampered.jsonl');
      const edited = tampering.edit(bundle, head);
      expect(edited).not.toEqual(bundle);
      writeFileSync(file, edited.join('\n') + '\n');
      const res = await cli('audit', 'verify-bundle', file);
      expect(res.code, res.stdout + res.stderr).toBe(1);
      const { seq, problem } = broken(res.stdout);
      expect(seq, res.stdout).toBe(tampering.firstInvalidSeq(head));
      expect(problem).toMatch(tampering.problem);
    });
  }
});

describe.runIf(process.env.DATABASE_URL)('custodian db app-role (PostgreSQL)', () => {
  it('gives the application a role that appends audit events only through the chain, and cannot rewrite them', async () => {
    const role = `custodian_app_${randomBytes(3).toString('hex')}`;
    const res = await cli('db', 'app-role', '--role', role);
    expect(res.code, res.stderr).toBe(0);
    const url = new URL(serverDb!.url);
    url.username = role;
    const app = new Client({ connectionString: url.toString() });
    await app.connect();
    try {
      // It can write events, which the database links into the chain at commit...
      const asApp = createDataSource(url.toString(), 1);
      await asApp.initialize();
      try {
        const { id } = await asApp.transaction((m) =>
          new AuditService(asApp).record(
            {
              actor: { type: 'system', id: null, email: null, roles: [] },
              action: AuditAction.StaffCreate,
              outcome: 'success',
            },
            m,
          ),
        );
        expect((await app.query(`SELECT seq FROM audit_event WHERE id = $1`, [id])).rows).toHaveLength(1);
      } finally {
        await asApp.destroy();
      }
      // ...read them and change customer data...
      const [{ n }] = (await app.query(`SELECT count(*)::int AS n FROM audit_event`)).rows;
      expect(n).toBeGreaterThan(0);
      await app.query(`UPDATE staff SET display_name = display_name`);
      // ...but not rewrite history, nor put an event in the log without the chain, by privilege,
      // before any trigger is reached.
      for (const sql of [
        `UPDATE audit_event SET reason = 'x'`,
        `DELETE FROM audit_event`,
        `TRUNCATE audit_event`,
        `INSERT INTO audit_event SELECT * FROM audit_event LIMIT 1`,
        `SELECT * FROM audit_pending`,
        `DELETE FROM audit_pending`,
        `UPDATE audit_chain_tip SET seq = 1`,
      ]) {
        await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
      }
    } finally {
      await app.end();
      expect((await cli('audit', 'verify')).code).toBe(0);
      const owner = new Client({ connectionString: serverDb!.url });
      await owner.connect();
      await owner.query(`DROP OWNED BY ${role}`);
      await owner.query(`DROP ROLE ${role}`);
      await owner.end();
    }
  });
});
