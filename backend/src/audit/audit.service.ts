import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditAction } from '@custodian/shared';
import type { Principal } from '../auth/principal';
import { canonicalJson } from './canonical';
import { AuditEventEntity, type ActorType, type AuditOutcome } from './audit-event.entity';

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

/** The fields of an event that its hash covers (all but seq, prevHash and hash, which the chain adds). */
export function hashedContent(e: Omit<AuditEventEntity, 'seq' | 'prevHash' | 'hash'>) {
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
 * The chain is ordered by one transaction-scoped advisory lock. Under it, a second statement (with
 * a snapshot taken after the lock, so it sees the previous writer's committed event) reads the
 * newest event and inserts the next one, linked by a hash the database computes. The lock is held
 * until commit, so concurrent writers (any number of instances) line up and never fork the chain.
 */
export const AUDIT_CHAIN_LOCK = '7173725861712098656'; // any fixed bigint, shared by all instances

const APPEND_SQL = `
  -- The newest event; a function, so its plan over every month's partition is made once (AuditPartitions migration).
  WITH last AS (SELECT seq, hash FROM audit_chain_head()),
  prev AS (
    SELECT coalesce((SELECT seq FROM last), 0) AS seq,
           coalesce((SELECT hash FROM last), repeat('0', 64)) AS hash
  )
  INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action,
    target_type, target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent, prev_hash, hash)
  SELECT $1, prev.seq + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, prev.hash,
         encode(sha256(convert_to(prev.hash || ':' || (prev.seq + 1)::text || ':' || $18, 'UTF8')), 'hex')
    FROM prev
  RETURNING seq, prev_hash, hash`;

/**
 * The one way events get into the audit log. Must stay true:
 * - an event of a change is written with the caller's EntityManager, inside the change's
 *   transaction and last in it, so the change and its event commit together or not at all and
 *   the chain lock is held only from the event to the commit;
 * - an event of its own (a sign-in, a search, a refusal) is resolved only once committed; such
 *   events arriving together are committed together, one chain lock and one disk flush per batch.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private queue: {
    event: AuditEventEntity;
    resolve: (e: AuditEventEntity) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private flushing = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(input: AuditInput, manager?: EntityManager): Promise<AuditEventEntity> {
    const event = build(input);
    if (manager) return append(manager, event);
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
          await this.dataSource.transaction(async (m) => {
            for (const item of batch) await append(m, item.event);
          });
          batch.forEach((item) => item.resolve(item.event));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One bad event must not sink the others: write them one by one.
          this.logger.warn('an audit batch failed; writing its events one at a time');
          for (const item of batch) {
            await this.dataSource
              .transaction((m) => append(m, item.event))
              .then(() => item.resolve(item.event), item.reject);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

function build(input: AuditInput): AuditEventEntity {
  return Object.assign(new AuditEventEntity(), {
    id: randomUUID(),
    seq: '',
    occurredAt: new Date(),
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorEmail: input.actor.email,
    actorRoles: input.actor.roles,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    outcome: input.outcome,
    reason: input.reason ?? null,
    ticket: input.ticket ?? null,
    changes: input.changes ?? null,
    details: input.details ?? null,
    requestId: input.requestId ?? null,
    ip: input.ip ?? null,
    userAgent: input.userAgent ?? null,
    prevHash: '',
    hash: '',
  });
}

async function append(m: EntityManager, event: AuditEventEntity): Promise<AuditEventEntity> {
  await m.query(`SELECT pg_advisory_xact_lock($1)`, [AUDIT_CHAIN_LOCK]);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  const rows = (await m.query(APPEND_SQL, [
    event.id,
    event.occurredAt,
    event.actorType,
    event.actorId,
    event.actorEmail,
    event.actorRoles,
    event.action,
    event.targetType,
    event.targetId,
    event.outcome,
    event.reason,
    event.ticket,
    json(event.changes),
    json(event.details),
    event.requestId,
    event.ip,
    event.userAgent,
    canonicalJson(hashedContent(event)),
  ])) as { seq: string; prev_hash: string; hash: string }[];
  const [row] = rows;
  event.seq = String(row!.seq);
  event.prevHash = row!.prev_hash;
  event.hash = row!.hash;
  return event;
}

/** The actor and request facts of an event, from the authenticated request. */
export function requestFacts(req: Request, principal?: Principal) {
  const actor: AuditActor = principal
    ? {
        type: principal.method === 'token' ? 'token' : 'staff',
        id: principal.method === 'token' ? (principal.tokenId ?? null) : principal.staffId,
        email: principal.email,
        roles: principal.roles,
      }
    : { type: 'staff', id: null, email: null, roles: [] };
  return {
    actor,
    requestId: typeof req.id === 'string' ? req.id : req.id !== undefined ? String(req.id) : null,
    ip: req.ip ?? null,
    userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 500) : null,
  };
}
