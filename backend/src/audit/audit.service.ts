import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditAction } from '@custodian/shared';
import type { Principal } from '../auth/principal';
import { UNSTORABLE } from '../common/unstorable';
import { namedQuery } from '../database/named-query';
import { canonicalJson } from './canonical';
import type { AuditEventEntity, ActorType, AuditOutcome } from './audit-event.entity';

export interface AuditActor {
  type: ActorType;
  id: string | null;
  email: string | null;
  roles: string[];
}

export interface AuditInput {
  actor: AuditActor;
  /** From the catalogue in shared: an action it does not list does not compile. */
  action: AuditAction;
  target?: { type: string; id: string } | null;
  outcome: AuditOutcome;
  reason?: string | null;
  ticket?: string | null;
  /** Field changes as { field: { before, after } }; readers see them through the field policy. */
  changes?: Record<string, unknown> | null;
  /** Extra facts (e.g. which personal fields a search used, how many results). No clear personal data. */
  details?: Record<string, unknown> | null;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** An event before it has a place in the chain: all but seq, prevHash and hash, which the chain adds. */
export type PendingEvent = Omit<AuditEventEntity, 'seq' | 'prevHash' | 'hash'>;

/** The fields of an event that its hash covers: all of a pending event's. */
export function hashedContent(e: PendingEvent) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, email: e.actorEmail, roles: e.actorRoles },
    action: e.action,
    target: e.targetType ? { type: e.targetType, id: e.targetId } : null,
    outcome: e.outcome,
    reason: e.reason,
    ticket: e.ticket,
    changes: e.changes,
    details: e.details,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
  };
}

/**
 * The chain is ordered by one transaction-scoped advisory lock, held until commit, so concurrent
 * writers (any number of instances) line up and never fork the chain. Events are written to
 * audit_pending; at commit a deferred trigger takes this lock, links each one to the newest event
 * and moves it into audit_event (migration AuditSealAtCommit), so the lock is held only inside the
 * COMMIT statement, never across a round trip to this process. The benchmark's seed takes the
 * same lock to write its events straight into audit_event.
 */
export const AUDIT_CHAIN_LOCK = '7173725861712098656'; // any fixed bigint, shared by all instances

const PENDING_COLUMNS = `id, occurred_at, actor_type, actor_id, actor_email, actor_roles, action, target_type,
  target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent, canonical`;

/**
 * The events of parameter $`param` (a JSON array, in chain order, `ord` from 1) in one statement,
 * whether the one event of a change or a batch of standalone ones, so a batch costs the round
 * trips of one event. Rows are inserted, and so chained at commit, in `ord` order; none where the
 * SQL condition `when` is false.
 */
function appendSql(param: number, when = 'true'): string {
  return `
  INSERT INTO audit_pending (${PENDING_COLUMNS})
  SELECT id, occurred_at, actor_type, actor_id, actor_email, coalesce(actor_roles, '{}'), action, target_type,
         target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent, canonical
    FROM jsonb_to_recordset($${param}::jsonb) AS i(
      ord integer, id uuid, occurred_at timestamptz, actor_type text, actor_id text, actor_email text,
      actor_roles text[], action text, target_type text, target_id text, outcome text, reason text,
      ticket text, changes jsonb, details jsonb, request_id text, ip text, user_agent text, canonical text)
   WHERE ${when}
   ORDER BY ord`;
}

const APPEND_SQL = appendSql(1);

/** An event written: its place in the chain (seq, hash) is known once its transaction commits. */
export interface RecordedEvent {
  id: string;
}

/**
 * The one way events get into the audit log. Must stay true:
 * - an event of a change is written with the caller's EntityManager, inside the change's
 *   transaction, so the change and its event commit together or not at all;
 * - an event of its own (a sign-in, a search, a refusal) is resolved only once committed; such
 *   events arriving together are committed together, one chain lock and one disk flush per batch.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private queue: {
    event: PendingEvent;
    resolve: (e: RecordedEvent) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private flushing = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The event as part of the caller's own statement, for a change that is a single statement: a
   * data-modifying WITH item (`sql`) that writes it, when the SQL condition `when` holds, from the
   * parameter $`param`, whose value is `value`. Change and event commit together, in one round
   * trip.
   */
  statement(input: AuditInput, param: number, when: string): RecordedEvent & { sql: string; value: string } {
    const event = build(input);
    return { id: event.id, sql: appendSql(param, when), value: JSON.stringify([batchRow(event, 0)]) };
  }

  async record(input: AuditInput, manager?: EntityManager): Promise<RecordedEvent> {
    const event = build(input);
    if (manager) {
      await append(manager, [event]);
      return { id: event.id };
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, 200);
        try {
          // One statement, so a transaction of its own without BEGIN and COMMIT round trips: the
          // events are chained when it commits, as it ends.
          await append(
            this.dataSource.manager,
            batch.map((item) => item.event),
          );
          batch.forEach((item) => item.resolve({ id: item.event.id }));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One bad event must not sink the others: write them one by one.
          this.logger.warn('an audit batch failed; writing its events one at a time');
          for (const item of batch) {
            await append(this.dataSource.manager, [item.event]).then(
              () => item.resolve({ id: item.event.id }),
              item.reject,
            );
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

function build(input: AuditInput): PendingEvent {
  const text = (v: string | null | undefined) => (v == null ? null : storable(v));
  return {
    id: randomUUID(),
    occurredAt: new Date(),
    actorType: input.actor.type,
    actorId: text(input.actor.id),
    actorEmail: text(input.actor.email),
    actorRoles: input.actor.roles.map(storable),
    action: input.action,
    targetType: text(input.target?.type),
    targetId: text(input.target?.id),
    outcome: input.outcome,
    reason: text(input.reason),
    ticket: text(input.ticket),
    changes: input.changes == null ? null : storableJson(input.changes),
    details: input.details == null ? null : storableJson(input.details),
    requestId: text(input.requestId),
    ip: text(input.ip),
    userAgent: text(input.userAgent),
  };
}

/** Every unstorable character of a text (common/unstorable.ts). */
const UNSTORABLE_ALL = new RegExp(UNSTORABLE, 'g');

/**
 * The text as the database will store it. The hash covers what is stored, so an event must be
 * built from exactly that: a lone surrogate (which the driver would write as U+FFFD while the
 * hashed JSON kept its escape) would otherwise read back as tampering forever, and a NUL would
 * make the event impossible to write at all. Both become U+FFFD, before the hash is taken.
 */
function storable(value: string): string {
  return value.replace(UNSTORABLE_ALL, '\uFFFD');
}

function storableJson(value: unknown): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return storable(v);
    if (Array.isArray(v)) return v.map(walk);
    // Plain objects only: anything else (a Date) is left for JSON.stringify to write as it would.
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [storable(k), walk(x)]));
    }
    return v;
  };
  return walk(value) as Record<string, unknown>;
}

/** An event's columns by their names in audit_event, all but the chain's (seq, prev_hash, hash). */
export function eventColumns(event: PendingEvent) {
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    actor_type: event.actorType,
    actor_id: event.actorId,
    actor_email: event.actorEmail,
    actor_roles: event.actorRoles,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    outcome: event.outcome,
    reason: event.reason,
    ticket: event.ticket,
    changes: event.changes,
    details: event.details,
    request_id: event.requestId,
    ip: event.ip,
    user_agent: event.userAgent,
  };
}

/** An event as a row of APPEND_SQL's input. */
function batchRow(event: PendingEvent, index: number) {
  return { ord: index + 1, ...eventColumns(event), canonical: canonicalJson(hashedContent(event)) };
}

/** Writes events, in this order, to be chained when the caller's transaction commits. */
async function append(m: EntityManager, events: PendingEvent[]): Promise<void> {
  await namedQuery(m, APPEND_SQL, [JSON.stringify(events.map(batchRow))]);
}

/** The actor and request facts of an event, from the authenticated request. */
export function requestFacts(req: FastifyRequest, principal?: Principal) {
  const actor: AuditActor = principal
    ? {
        type: principal.method === 'token' ? 'token' : 'staff',
        id: principal.method === 'token' ? (principal.tokenId ?? null) : principal.staffId,
        email: principal.email,
        roles: principal.roles,
      }
    : // Nobody identified: the kind of credential tried, a token (an Authorization header) or a
      // staff member's session or sign-in, with no id; API.md knows no anonymous actor.
      {
        type: req.headers.authorization !== undefined ? 'token' : 'staff',
        id: null,
        email: null,
        roles: [],
      };
  return {
    actor,
    requestId: req.id,
    ip: req.ip ?? null,
    userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 500) : null,
  };
}
