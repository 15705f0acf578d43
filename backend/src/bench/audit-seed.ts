import {
  AuditAction,
  maskEmail,
  maskPhone,
  operationAuditAction,
  PLANS,
  type OperationName,
} from '@custodian/shared';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AuditEventEntity, AuditOutcome } from '../audit/audit-event.entity';
import { AUDIT_CHAIN_LOCK, hashedContent } from '../audit/audit.service';
import { chainHash, GENESIS_HASH } from '../audit/canonical';
import { SEED_REFERENCE_TIME } from '../database/seed';
import { SeedRandom, Weighted } from '../database/seed/random';

export const AUDIT_EVENTS_DEFAULT = 10_000_000;
export const AUDIT_SEED = 5;

const DAY = 86_400_000;
/** The seeded year ends where the seeded customer data ends. */
export const AUDIT_WINDOW_END = SEED_REFERENCE_TIME;
export const AUDIT_WINDOW_START = AUDIT_WINDOW_END - 365 * DAY;
/** Milliseconds between two events: the default 10,000,000 events fill the year exactly. */
const SPACING = (AUDIT_WINDOW_END - AUDIT_WINDOW_START) / AUDIT_EVENTS_DEFAULT;

/** Events per COPY, each in its own transaction: an interrupted seed keeps what it committed. */
const CHUNK = 50_000;
/** Rows per string handed to the COPY stream. */
const SLICE = 500;

const COLUMNS =
  'id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action, target_type, target_id, ' +
  'outcome, reason, ticket, changes, details, request_id, ip, user_agent, prev_hash, hash';

export interface AuditSeedOptions {
  /** How many events the chain should hold when the seed is done (it only appends). */
  events: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface AuditSeedSummary {
  added: number;
  /** The chain head's seq afterwards. */
  headSeq: number;
  seconds: number;
}

interface Head {
  seq: number;
  hash: string;
}

/**
 * Tops the audit log up to `events` events, straight into audit_event with COPY, each event
 * hashed exactly as the API links it (chainHash over hashedContent), continuing from the chain's
 * head. Event n is a function of (seed, n) alone, its moment included: slot n of a fixed year that
 * ends where the seeded customer data ends, so the first N events of two runs are the same. A chain
 * that already holds events the API wrote today is continued in seq, its seeded part back in that
 * year: time follows seq everywhere but at that one junction (as it need not strictly anyway: the
 * API takes an event's moment before it queues for the chain lock).
 *
 * Each chunk is one transaction that holds the chain's advisory lock, as the API's appends do, so
 * a server appending meanwhile cannot fork the chain. The append-only triggers refuse only UPDATE,
 * DELETE and TRUNCATE, and COPY into a partitioned table routes each row, so this works on either
 * layout of the table.
 */
export async function seedAuditEvents(pool: Pool, options: AuditSeedOptions): Promise<AuditSeedSummary> {
  const { events: target, seed = AUDIT_SEED, onProgress } = options;
  const started = performance.now();
  const client = await pool.connect();
  try {
    const start = await readHead(client);
    if (start.seq >= target) {
      onProgress?.(target, target);
      return { added: 0, headSeq: start.seq, seconds: 0 };
    }
    const accounts: string[] = (
      await client.query<{ id: string }>('SELECT id::text AS id FROM account ORDER BY id')
    ).rows.map((r) => r.id);
    if (accounts.length === 0) throw new Error('Seed accounts before audit events: the events name them.');
    const generator = new AuditEventGenerator(seed, accounts);
    // Partitioned by month (see the AuditPartitions migration): each month of the seeded year gets
    // its own partition, as months of real events do, rather than piling up in the default one.
    const partitioned = await hasMonthlyPartitions(client);
    onProgress?.(start.seq, target);
    let added = 0;
    let head = start.seq;
    while (head < target) {
      const chunk = await writeChunk(client, generator, target, partitioned, (done) =>
        onProgress?.(done, target),
      );
      added += chunk.added;
      head = chunk.head;
    }
    return { added, headSeq: head, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

async function hasMonthlyPartitions(client: PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ made: boolean }>(
    `SELECT to_regprocedure('audit_event_create_month(date)') IS NOT NULL AS made`,
  );
  return rows[0]!.made;
}

function monthStart(time: number): number {
  const d = new Date(time);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

async function readHead(client: PoolClient): Promise<Head> {
  // Ordered by the bigint column itself: its text alias would sort "99999" after "100000".
  const { rows } = await client.query<{ seq: string; hash: string }>(
    'SELECT e.seq::text AS seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1',
  );
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS_HASH };
}

/**
 * Up to CHUNK events after the head, in one transaction under the chain's advisory lock: the head
 * is read under the lock and the events are made from it as they stream, so events a server
 * appends between two chunks are simply continued from (they wait for the lock meanwhile).
 */
async function writeChunk(
  client: PoolClient,
  generator: AuditEventGenerator,
  target: number,
  partitioned: boolean,
  onProgress: (seq: number) => void,
): Promise<{ added: number; head: number }> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const from = await readHead(client);
    const count = Math.max(0, Math.min(CHUNK, target - from.seq));
    if (partitioned && count > 0) {
      const last = generator.plannedTime(from.seq + count);
      for (let month = monthStart(generator.plannedTime(from.seq + 1)); month <= last;) {
        await client.query('SELECT audit_event_create_month($1::date)', [new Date(month).toISOString()]);
        const next = new Date(month);
        month = next.setUTCMonth(next.getUTCMonth() + 1);
      }
    }
    const head = { ...from };
    function* rows(): Generator<string> {
      const end = from.seq + count;
      while (head.seq < end) {
        let text = '';
        const sliceEnd = Math.min(end, head.seq + SLICE);
        while (head.seq < sliceEnd) {
          const seq = head.seq + 1;
          const event = generator.event(seq);
          const hash = chainHash(head.hash, String(seq), hashedContent(event));
          text += copyRow(event, seq, head.hash, hash);
          head.seq = seq;
          head.hash = hash;
        }
        onProgress(head.seq);
        yield text;
      }
    }
    await pipeline(Readable.from(rows()), client.query(copyFrom(`COPY audit_event (${COLUMNS}) FROM STDIN`)));
    await client.query('COMMIT');
    return { added: count, head: head.seq };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

type EventFacts = Omit<AuditEventEntity, 'seq' | 'prevHash' | 'hash'>;

/** One line of COPY's text format: tab-separated, \N for NULL, backslash escapes. */
function copyRow(e: EventFacts, seq: number, prevHash: string, hash: string): string {
  return (
    [
      e.id,
      String(seq),
      e.occurredAt.toISOString(),
      e.actorType,
      field(e.actorId),
      field(e.actorEmail),
      `{${e.actorRoles.join(',')}}`,
      e.action,
      field(e.targetType),
      field(e.targetId),
      e.outcome,
      field(e.reason),
      field(e.ticket),
      e.changes ? field(JSON.stringify(e.changes)) : NULL,
      e.details ? field(JSON.stringify(e.details)) : NULL,
      field(e.requestId),
      field(e.ip),
      field(e.userAgent),
      prevHash,
      hash,
    ].join('\t') + '\n'
  );
}

const NULL = '\\N';
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(value: string | null): string {
  if (value === null) return NULL;
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
}

// ---------------------------------------------------------------------------------------------
// What the events say

type Kind =
  | 'search'
  | 'reveal'
  | 'revealDenied'
  | 'addNote'
  | 'issueCredit'
  | 'suspend'
  | 'reactivate'
  | 'revokeSessions'
  | 'changePlan'
  | 'changePhone'
  | 'changeEmailPending'
  | 'resetMfaPending'
  | 'closePending'
  | 'approve'
  | 'reject'
  | 'expire'
  | 'login'
  | 'loginFailed'
  | 'logout'
  | 'accessDenied'
  | 'tokenCreated'
  | 'auditExport'
  | 'staffCreate'
  | 'grantRoles'
  | 'staffDeactivate';

type Persona = 'support' | 'engineer' | 'supervisor' | 'auditor' | 'admin' | 'token' | 'system';

/** What each kind of actor does, and how often: support agents search and reveal most. */
const BEHAVIOUR: Record<Persona, { activity: number; kinds: Array<[Kind, number]> }> = {
  support: {
    activity: 10,
    kinds: [
      ['search', 30],
      ['reveal', 18],
      ['revealDenied', 2],
      ['addNote', 12],
      ['issueCredit', 6],
      ['suspend', 2],
      ['revokeSessions', 4],
      ['login', 6],
      ['loginFailed', 1],
      ['logout', 4],
      ['accessDenied', 2],
    ],
  },
  engineer: {
    activity: 6,
    kinds: [
      ['search', 15],
      ['reveal', 8],
      ['changePlan', 10],
      ['changePhone', 5],
      ['changeEmailPending', 3],
      ['resetMfaPending', 1],
      ['closePending', 1],
      ['addNote', 6],
      ['issueCredit', 3],
      ['suspend', 2],
      ['reactivate', 2],
      ['login', 6],
      ['loginFailed', 1],
      ['logout', 4],
      ['accessDenied', 1],
      ['tokenCreated', 0.2],
    ],
  },
  supervisor: {
    activity: 3,
    kinds: [
      ['approve', 10],
      ['reject', 2],
      ['search', 3],
      ['login', 5],
      ['logout', 3],
    ],
  },
  auditor: {
    activity: 2,
    kinds: [
      ['auditExport', 3],
      ['login', 5],
      ['logout', 3],
      ['accessDenied', 1],
    ],
  },
  admin: {
    activity: 1,
    kinds: [
      ['staffCreate', 1],
      ['grantRoles', 2],
      ['staffDeactivate', 0.5],
      ['login', 5],
      ['logout', 3],
      ['loginFailed', 1],
    ],
  },
  token: {
    activity: 8,
    kinds: [
      ['search', 10],
      ['addNote', 5],
      ['revokeSessions', 2],
      ['accessDenied', 1],
    ],
  },
  system: {
    activity: 0.5,
    kinds: [
      ['expire', 5],
      ['staffCreate', 1],
    ],
  },
};

/** ~50 staff: the shape of a support organisation. */
const STAFF_MIX: Array<[Persona, number]> = [
  ['support', 24],
  ['engineer', 14],
  ['supervisor', 6],
  ['auditor', 4],
  ['admin', 2],
];
const TOKENS = 2;

const FIRST = ['ana', 'ben', 'chloe', 'dev', 'emma', 'felix', 'grace', 'hugo', 'ines', 'jonas', 'kira'];
const LAST = ['alvarez', 'berg', 'chen', 'dubois', 'eriksen', 'fischer', 'gallo', 'haddad', 'ito', 'jansen'];
const CUSTOMER_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
const REASONS = [
  'Customer called about a double charge on the last invoice',
  'Customer cannot sign in after changing phones',
  'Chargeback dispute, verifying the contact details on file',
  'Customer asked to downgrade before the renewal date',
  'Suspected account takeover reported by the customer',
  'Goodwill credit after the outage of the payment service',
  'Customer moved and asked to update the phone number',
  'Fraud team flagged repeated failed payments',
  'Customer requested closure by email, identity checked',
  'Follow-up on an open complaint about delivery',
  'Data subject access request, checking what we hold',
  'Customer reports emails going to an old address',
];
const DENIED_PATHS = [
  '/api/accounts/:id/operations/change-email',
  '/api/accounts/:id/operations/close',
  '/api/staff',
  '/api/audit-events',
];

interface Actor {
  persona: Persona;
  type: 'staff' | 'token' | 'system';
  id: string | null;
  email: string | null;
  roles: string[];
  ip: string | null;
  userAgent: string | null;
  kinds: Weighted<Kind>;
}

/** Builds event n from (seed, n): who, what, on which account, when. */
class AuditEventGenerator {
  private readonly r = new SeedRandom();
  private readonly actors: Actor[];
  private readonly pickActor: Weighted<Actor>;
  private readonly staffIds: string[];
  private readonly hot: number;

  constructor(
    private readonly seed: number,
    private readonly accounts: string[],
  ) {
    const r = new SeedRandom([seed, 0]);
    const actors: Actor[] = [];
    const emails = new Set<string>();
    const staff = (persona: Persona, n: number): Actor => {
      let email = `${r.pick(FIRST)}.${r.pick(LAST)}@staff.custodian.invalid`;
      if (emails.has(email)) email = email.replace('@', `${n}@`);
      emails.add(email);
      return {
        persona,
        type: 'staff',
        id: r.uuid(),
        email,
        roles: [persona],
        ip: `10.20.${r.int(0, 255)}.${r.int(1, 254)}`,
        userAgent: r.pick(USER_AGENTS),
        kinds: new Weighted(BEHAVIOUR[persona].kinds),
      };
    };
    for (const [persona, n] of STAFF_MIX)
      for (let i = 0; i < n; i++) actors.push(staff(persona, actors.length));
    const engineers = actors.filter((a) => a.persona === 'engineer');
    for (let i = 0; i < TOKENS; i++) {
      const owner = engineers[i % engineers.length]!;
      actors.push({
        ...owner,
        persona: 'token',
        type: 'token',
        id: r.uuid(),
        ip: `10.30.0.${10 + i}`,
        userAgent: 'custodian-sync/2.3 (+integration)',
        kinds: new Weighted(BEHAVIOUR.token.kinds),
      });
    }
    actors.push({
      persona: 'system',
      type: 'system',
      id: null,
      email: null,
      roles: [],
      ip: null,
      userAgent: null,
      kinds: new Weighted(BEHAVIOUR.system.kinds),
    });
    this.actors = actors;
    this.staffIds = actors.filter((a) => a.type === 'staff').map((a) => a.id!);
    this.pickActor = new Weighted(actors.map((a) => [a, BEHAVIOUR[a.persona].activity] as const));
    this.hot = Math.max(1, Math.floor(accounts.length / 100));
  }

  /** When event `seq` happens at the latest: its slot in the timetable ends there. */
  plannedTime(seq: number): number {
    return Math.floor(AUDIT_WINDOW_START + seq * SPACING);
  }

  event(seq: number): EventFacts {
    const r = this.r;
    r.seed([this.seed, seq]);
    const actor = this.pickActor.sample(r);
    // Somewhere in its own slot of the timetable, so time never runs backwards along the chain.
    const planned = AUDIT_WINDOW_START + (seq - 1) * SPACING + r.next() * SPACING;
    const base = {
      id: r.uuid(),
      occurredAt: new Date(Math.floor(planned)),
      actorType: actor.type,
      actorId: actor.id,
      actorEmail: actor.email,
      actorRoles: actor.roles,
      requestId: actor.type === 'system' ? null : r.uuid(),
      ip: actor.ip,
      userAgent: actor.userAgent,
      reason: null,
      ticket: null,
      changes: null,
      details: null,
      targetType: null,
      targetId: null,
    };
    return { ...base, ...this.what(actor.kinds.sample(r), actor) };
  }

  /** A fifth of the events concern the hottest 1% of accounts; the rest any account. */
  private account(): string {
    const r = this.r;
    return r.chance(0.2)
      ? this.accounts[r.int(0, this.hot - 1)]!
      : this.accounts[r.int(0, this.accounts.length - 1)]!;
  }

  private why(): { reason: string; ticket: string | null } {
    const r = this.r;
    return { reason: r.pick(REASONS), ticket: r.chance(0.7) ? `SUP-${r.int(10_000, 99_999)}` : null };
  }

  private customerEmail(): string {
    const r = this.r;
    return `${r.pick(FIRST)}.${r.pick(LAST)}${r.digits(2)}@${r.pick(CUSTOMER_DOMAINS)}`;
  }

  private what(
    kind: Kind,
    actor: Actor,
  ): Pick<
    EventFacts,
    'action' | 'outcome' | 'targetType' | 'targetId' | 'reason' | 'ticket' | 'changes' | 'details'
  > {
    const r = this.r;
    const success = 'success' as AuditOutcome;
    const none = { targetType: null, targetId: null, reason: null, ticket: null, changes: null };
    const onAccount = () => ({ targetType: 'account', targetId: this.account(), ...this.why() });
    const operation = (
      name: OperationName,
      changes: Record<string, { before: unknown; after: unknown }> | null,
      details: Record<string, unknown> = {},
      outcome: AuditOutcome = success,
    ) => ({
      action: operationAuditAction(name),
      outcome,
      ...onAccount(),
      changes,
      details: outcome === 'pending' ? { changeRequestId: r.uuid() } : { ...details, version: r.int(2, 40) },
    });
    switch (kind) {
      case 'search': {
        const byPhone = r.chance(0.3);
        const by = byPhone
          ? { phone: maskPhone(`+49151${r.digits(8)}`) }
          : { email: maskEmail(this.customerEmail()) };
        return {
          action: AuditAction.AccountSearch,
          outcome: success,
          ...none,
          details: { by, results: r.int(0, 2) },
        };
      }
      case 'reveal':
      case 'revealDenied': {
        const fields = r.chance(0.6) ? ['email'] : r.chance(0.7) ? ['phone'] : ['email', 'phone'];
        const denied = kind === 'revealDenied';
        const expiresAt = new Date(AUDIT_WINDOW_START + r.int(0, 365) * DAY).toISOString();
        return {
          action: AuditAction.AccountReveal,
          outcome: denied ? 'denied' : success,
          ...onAccount(),
          changes: null,
          details: denied ? { fields, limit: 30 } : { fields, expiresAt },
        };
      }
      case 'addNote':
        return operation('add-note', null, { noteId: r.uuid() });
      case 'issueCredit': {
        const before = r.int(0, 200) * 100;
        return operation('issue-credit', {
          creditBalanceCents: { before, after: before + r.int(1, 50) * 100 },
        });
      }
      case 'suspend':
        return operation(
          'suspend',
          { status: { before: 'active', after: 'suspended' } },
          { revokedSessions: r.int(0, 3) },
        );
      case 'reactivate':
        return operation('reactivate', { status: { before: 'suspended', after: 'active' } });
      case 'revokeSessions':
        return operation('revoke-sessions', null, { revokedSessions: r.int(0, 4) });
      case 'changePlan': {
        const before = r.pick(PLANS);
        const after = PLANS[(PLANS.indexOf(before) + r.int(1, PLANS.length - 1)) % PLANS.length]!;
        return operation('change-plan', { plan: { before, after } });
      }
      case 'changePhone':
        return operation('change-phone', {
          phone: { before: `+49151${r.digits(8)}`, after: `+49160${r.digits(8)}` },
        });
      case 'changeEmailPending':
        return operation(
          'change-email',
          { email: { before: this.customerEmail(), after: this.customerEmail() } },
          {},
          'pending',
        );
      case 'resetMfaPending':
        return operation('reset-mfa', { mfaEnabled: { before: true, after: false } }, {}, 'pending');
      case 'closePending':
        return operation('close', { status: { before: 'active', after: 'closed' } }, {}, 'pending');
      case 'approve':
      case 'reject':
      case 'expire':
        return {
          action:
            kind === 'approve'
              ? AuditAction.ChangeRequestApprove
              : kind === 'reject'
                ? AuditAction.ChangeRequestReject
                : AuditAction.ChangeRequestExpire,
          outcome: success,
          targetType: 'change_request',
          targetId: r.uuid(),
          ...(kind === 'expire' ? { reason: null, ticket: null } : this.why()),
          changes: null,
          details: { operation: r.pick(['change-email', 'reset-mfa', 'close', 'issue-credit']) },
        };
      case 'login':
        return {
          action: AuditAction.AuthLogin,
          outcome: success,
          ...none,
          details: { method: r.chance(0.7) ? 'sso' : 'password' },
        };
      case 'loginFailed':
        return {
          action: AuditAction.AuthLoginFailed,
          outcome: 'error',
          ...none,
          details: { why: r.pick(['password', 'mfa_code', 'throttled']) },
        };
      case 'logout':
        return { action: AuditAction.AuthLogout, outcome: success, ...none, details: null };
      case 'accessDenied': {
        const path = r.pick(DENIED_PATHS).replace(':id', this.account());
        return {
          action: AuditAction.AccessDenied,
          outcome: 'denied',
          ...none,
          details: { method: path.includes('operations') ? 'POST' : 'GET', path, message: 'Forbidden' },
        };
      }
      case 'tokenCreated':
        return {
          action: AuditAction.AuthTokenCreated,
          outcome: success,
          ...none,
          targetType: 'token',
          targetId: r.uuid(),
          details: { name: 'sync job', permissions: ['account.read'] },
        };
      case 'auditExport':
        return {
          action: AuditAction.AuditExport,
          outcome: success,
          ...none,
          details: { format: r.chance(0.5) ? 'csv' : 'jsonl', filters: { action: 'account.operation.' } },
        };
      case 'staffCreate':
      case 'grantRoles':
      case 'staffDeactivate': {
        const target = { targetType: 'staff', targetId: r.pick(this.staffIds) };
        if (kind === 'staffCreate') {
          return {
            action: AuditAction.StaffCreate,
            outcome: success,
            ...none,
            ...target,
            changes: { roles: { before: [], after: ['support'] } },
            details: actor.type === 'system' ? { via: 'command line', osUser: 'ops' } : null,
          };
        }
        return {
          action: kind === 'grantRoles' ? AuditAction.StaffGrantRoles : AuditAction.StaffDeactivate,
          outcome: kind === 'grantRoles' ? 'pending' : success,
          ...none,
          ...target,
          ...this.why(),
          changes:
            kind === 'grantRoles'
              ? { roles: { before: ['support'], after: ['support', 'engineer'] } }
              : { active: { before: true, after: false } },
          details: null,
        };
      }
    }
  }
}
