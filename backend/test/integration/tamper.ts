/**
 * Tampering with the audit log the way someone with database superuser rights could: the
 * append-only triggers switched off, rows edited, deleted, swapped, forged or cut off. Shared by
 * the API, CLI and bundle tests so that each is held to the same five cases.
 */
export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

export interface Tampering {
  name: string;
  /** The statements, on a chain whose newest event is `head` (at least 8 events). */
  sql: (head: number) => string;
  /** The event verification must name, and why. */
  firstInvalidSeq: (head: number) => number;
  problem: RegExp;
}

/** The five of the issue. The last needs a signed checkpoint of the head, written beforehand. */
export const TAMPERINGS: Tampering[] = [
  {
    name: 'an edited reason',
    sql: () => `UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 3`,
    firstInvalidSeq: () => 3,
    problem: /^its content does not match its hash$/,
  },
  {
    name: 'a row deleted in the middle',
    sql: () => `DELETE FROM audit_event WHERE seq = 4`,
    firstInvalidSeq: () => 5,
    problem: /^event #4 is missing$/,
  },
  {
    name: 'two rows swapped',
    sql: () => `
      UPDATE audit_event SET seq = -3 WHERE seq = 3;
      UPDATE audit_event SET seq = 3 WHERE seq = 4;
      UPDATE audit_event SET seq = 4 WHERE seq = -3`,
    firstInvalidSeq: () => 3,
    problem: /^its link to the previous event is broken$/,
  },
  {
    name: 'a forged row inserted',
    sql: () => `
      UPDATE audit_event SET seq = -(seq + 1) WHERE seq >= 5;
      UPDATE audit_event SET seq = -seq WHERE seq < 0;
      INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_roles, action, outcome, prev_hash, hash)
      SELECT gen_random_uuid(), 5, now(), 'system', '{}', 'forged', 'success', hash, repeat('f', 64)
      FROM audit_event WHERE seq = 4`,
    firstInvalidSeq: () => 5,
    problem: /^its content does not match its hash$/,
  },
  {
    name: 'the newest rows cut off',
    sql: (head) => `DELETE FROM audit_event WHERE seq > ${head - 2}`,
    firstInvalidSeq: (head) => head - 1,
    problem: /^events #\d+ to #\d+ are missing \(signed checkpoint\)$/,
  },
];

/**
 * Runs `tamper` (statements, or a function for what SQL alone cannot do) with the triggers off,
 * then `check`, and puts the log back as it was whatever happens.
 */
export async function withTampering<T>(
  query: Query,
  tamper: string | (() => Promise<unknown>),
  check: () => Promise<T>,
): Promise<T> {
  await query(`DROP TABLE IF EXISTS audit_backup, audit_tip_backup`);
  await query(`CREATE TABLE audit_backup AS SELECT * FROM audit_event`);
  await query(`CREATE TABLE audit_tip_backup AS SELECT * FROM audit_chain_tip`);
  await query(`ALTER TABLE audit_event DISABLE TRIGGER USER`);
  try {
    if (typeof tamper === 'string') await query(tamper);
    else await tamper();
    return await check();
  } finally {
    await query(`TRUNCATE audit_event`);
    await query(`INSERT INTO audit_event SELECT * FROM audit_backup`);
    await query(`ALTER TABLE audit_event ENABLE TRIGGER USER`);
    // An event added meanwhile moved the tip past what is put back.
    await query(`UPDATE audit_chain_tip t SET seq = b.seq, hash = b.hash FROM audit_tip_backup b`);
    await query(`DROP TABLE audit_backup, audit_tip_backup`);
  }
}

interface BundleEvent {
  type: 'event';
  seq: string;
  prevHash: string;
  hash: string;
  content: Record<string, unknown>;
}

export interface BundleTampering {
  name: string;
  /** A changed copy of the bundle's lines, whose newest event is `head` (at least 8 events). */
  edit: (lines: string[], head: number) => string[];
  firstInvalidSeq: (head: number) => number;
  problem: RegExp;
}

const parse = (line: string) => JSON.parse(line) as BundleEvent | { type: 'header' | 'checkpoint' };
const isEvent = (item: ReturnType<typeof parse>, seq?: number): item is BundleEvent =>
  item.type === 'event' && (seq === undefined || (item as BundleEvent).seq === String(seq));
/** Each line through `change` (events only); a line it maps to null is dropped. */
const mapEvents = (lines: string[], change: (e: BundleEvent) => BundleEvent | BundleEvent[] | null) =>
  lines.flatMap((line) => {
    const item = parse(line);
    if (!isEvent(item)) return [line];
    const changed = change(item);
    return changed === null ? [] : [changed].flat().map((e) => JSON.stringify(e));
  });
const eventAt = (lines: string[], seq: number) =>
  lines.map(parse).find((i) => isEvent(i, seq)) as BundleEvent;

/** The same five, done to an exported bundle file (JSON lines). */
export const BUNDLE_TAMPERINGS: BundleTampering[] = [
  {
    name: 'an edited reason',
    edit: (lines) =>
      mapEvents(lines, (e) =>
        e.seq === '3' ? { ...e, content: { ...e.content, reason: 'nothing to see' } } : e,
      ),
    firstInvalidSeq: () => 3,
    problem: /^its content does not match its hash$/,
  },
  {
    name: 'a line deleted in the middle',
    edit: (lines) => mapEvents(lines, (e) => (e.seq === '4' ? null : e)),
    firstInvalidSeq: () => 5,
    problem: /^event #4 is missing$/,
  },
  {
    // As in the database: each event keeps its place in the file and its seq, but the two trade
    // everything else.
    name: 'two events swapped',
    edit: (lines) => {
      const [third, fourth] = [eventAt(lines, 3), eventAt(lines, 4)];
      return mapEvents(lines, (e) =>
        e.seq === '3' ? { ...fourth, seq: '3' } : e.seq === '4' ? { ...third, seq: '4' } : e,
      );
    },
    firstInvalidSeq: () => 3,
    problem: /^its link to the previous event is broken$/,
  },
  {
    name: 'a forged line inserted',
    edit: (lines) => {
      const fourth = eventAt(lines, 4);
      const forged: BundleEvent = {
        ...fourth,
        seq: '5',
        prevHash: fourth.hash,
        hash: 'f'.repeat(64),
        content: { ...fourth.content, action: 'forged' },
      };
      return mapEvents(lines, (e) =>
        Number(e.seq) < 5
          ? e
          : e.seq === '5'
            ? [forged, { ...e, seq: '6' }]
            : { ...e, seq: String(Number(e.seq) + 1) },
      );
    },
    firstInvalidSeq: () => 5,
    problem: /^its content does not match its hash$/,
  },
  {
    name: 'the newest lines cut off',
    edit: (lines, head) => mapEvents(lines, (e) => (Number(e.seq) > head - 2 ? null : e)),
    firstInvalidSeq: (head) => head - 1,
    problem: /^events #\d+ to #\d+ are missing \(signed checkpoint\)$/,
  },
];
