import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolClient } from 'pg';
import { AuditReaderService, CHAIN_BATCH_SQL, inChainOrder } from '../../src/audit/audit-reader.service';
import { AuditService, type AuditInput } from '../../src/audit/audit.service';
import { GENESIS_HASH } from '../../src/audit/canonical';
import { appendAuditEvents } from '../factories/audit.factory';
import { startTestApp, type TestApp } from './harness';
import { withTampering } from './tamper';

/**
 * Verification recomputes, from the stored rows, the canonical JSON the writer hashed; part of it
 * is now written by the database (to_json, to_char). These tests hold the two sides together on
 * awkward content, on chains longer than a batch, from a given start, and on odd moments.
 */
let t: TestApp;
let reader: AuditReaderService;

beforeAll(async () => {
  t = await startTestApp();
  reader = t.custodian.app.get(AuditReaderService);
});

afterAll(async () => {
  await t?.close();
});

const query = (sql: string, params?: unknown[]) => t.dataSource.query(sql, params);
const head = async () =>
  Number((await query(`SELECT coalesce(max(seq), 0)::int AS head FROM audit_event`))[0].head);
const hashAt = async (seq: number) =>
  ((await query(`SELECT hash FROM audit_event WHERE seq = $1`, [seq])) as { hash: string }[])[0]!.hash;

// Characters JSON escapes (or might be thought to), non-ASCII and astral ones, and any grapheme.
// Not NUL nor a lone surrogate: PostgreSQL text cannot hold either.
const unit = fc.oneof(
  fc.constantFrom('"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0001', '\u001f', '\u007f', '\u2028'),
  fc.constantFrom('é', 'ß', 'Ω', '😀', '\ufeff', '\uffff', '<', '&', "'", ' '),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !c.includes('\u0000')),
);
const text = fc.string({ unit, maxLength: 30 });
const object = fc.dictionary(text, fc.jsonValue({ stringUnit: unit, maxDepth: 3 }), { maxKeys: 5 });
const input: fc.Arbitrary<AuditInput> = fc.record({
  actor: fc.record({
    type: fc.constantFrom('staff', 'token', 'system'),
    id: fc.option(text),
    email: fc.option(text),
    roles: fc.array(text, { maxLength: 3 }),
  }),
  action: fc.constant('auth.login' as AuditInput['action']),
  target: fc.option(fc.record({ type: fc.oneof(text, fc.constant('account')), id: text })),
  outcome: fc.constantFrom('success', 'denied', 'error', 'pending'),
  reason: fc.option(text),
  ticket: fc.option(text),
  changes: fc.option(object),
  details: fc.option(object),
  requestId: fc.option(text),
  ip: fc.option(text),
  userAgent: fc.option(text),
});

describe('what the writer hashes, verification recomputes', () => {
  it('for events with any text, roles, targets, changes and details', async () => {
    const audit = t.custodian.app.get(AuditService);
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 6 }), async (inputs) => {
        // Each run's events verified from where they start, so a failure shrinks to its own events.
        const before = await head();
        const from = { seq: before + 1, prevHash: before ? await hashAt(before) : GENESIS_HASH };
        // Both ways in: queued and batched, and inside a change's transaction.
        await Promise.all(
          inputs.map((i, n) =>
            n % 2 ? audit.record(i) : t.dataSource.transaction((m) => audit.record(i, m)),
          ),
        );
        const result = await reader.verify(undefined, from);
        expect(result).toMatchObject({ valid: true, checked: inputs.length });
      }),
      { numRuns: 40 },
    );
  });

  it('for moments from year 1 to 9999 and beyond', async () => {
    const edges = [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2024-02-29T23:59:59.999Z',
      '0001-01-01T00:00:00.000Z',
      '0050-06-15T12:30:00.001Z',
      '9999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.001Z',
      '-000001-06-15T12:00:00.500Z',
    ].map((iso) => new Date(iso));
    const random = fc.sample(fc.date({ min: new Date('0001-01-01T00:00:00Z'), noInvalidDate: true }), 200);
    const moments = [...edges, ...random];
    await appendAuditEvents(t.dataSource, moments.length, {
      overrides: (n) => ({ occurredAt: moments[n]! }),
    });
    expect(await reader.verify()).toMatchObject({ valid: true, headSeq: await head() });
  });
});

describe('verification', () => {
  it('walks a chain longer than a batch and names an event deep in it', async () => {
    const first = (await head()) + 1;
    await appendAuditEvents(t.dataSource, 11_000);
    const last = await head();
    expect(await reader.verify()).toMatchObject({ valid: true, checked: last, headSeq: last });

    const bad = first + 10_500;
    const result = await withTampering(query, `UPDATE audit_event SET ticket = 'x' WHERE seq = ${bad}`, () =>
      reader.verify(),
    );
    expect(result).toMatchObject({ valid: false, checked: bad - 1, headSeq: bad - 1, firstInvalidSeq: bad });
  });

  it('starts from a given event and the hash it must link to', async () => {
    const last = await head();
    const from = last - 6_000;
    expect(await reader.verify(undefined, { seq: from, prevHash: await hashAt(from - 1) })).toMatchObject({
      valid: true,
      checked: last - from + 1,
      headSeq: last,
    });
    expect(await reader.verify(undefined, { seq: from, prevHash: await hashAt(from) })).toMatchObject({
      valid: false,
      checked: 0,
      headSeq: from - 1,
      firstInvalidSeq: from,
      problem: 'its link to the previous event is broken',
    });
  });

  it('names an event whose moment was moved by less than a millisecond, or to infinity', async () => {
    const seq = (await head()) - 3;
    for (const moment of [`occurred_at + interval '1 microsecond'`, `'infinity'`, `'-infinity'`]) {
      const result = await withTampering(
        query,
        `UPDATE audit_event SET occurred_at = ${moment} WHERE seq = ${seq}`,
        () => reader.verify(),
      );
      expect(result, moment).toMatchObject({
        valid: false,
        firstInvalidSeq: seq,
        problem: 'its content does not match its hash',
      });
    }
  });
});

describe('reading the chain in order', () => {
  it("merges the partitions' seq indexes, even when the statistics have not seen the newest events", async () => {
    const from = (await head()) + 1;
    await appendAuditEvents(t.dataSource, 20);
    await query('ANALYZE audit_event');
    // Thousands more than the statistics know of, as between two ANALYZEs of a busy month.
    await appendAuditEvents(t.dataSource, 6000);
    const runner = t.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const plan = async () =>
        ((await client.query(`EXPLAIN ${CHAIN_BATCH_SQL}`, [String(from), 10_000])).rows as Plan[])
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      // Left to its statistics, the planner reads and sorts everything past `from`.
      expect(await plan()).toMatch(SORT_NODE);
      const ordered = await inChainOrder(client, plan);
      expect(ordered).toMatch(/Merge Append/);
      expect(ordered).not.toMatch(SORT_NODE);
    } finally {
      await runner.release();
    }
    expect((await reader.verify()).valid).toBe(true);
  });
});

type Plan = { 'QUERY PLAN': string };
/** A Sort node of an EXPLAIN (not a Merge Append's sort key). */
const SORT_NODE = /\bSort\s+\(cost=/;
