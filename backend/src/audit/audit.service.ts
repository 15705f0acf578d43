import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { chainHash } from './canonical';
import { AuditEventEntity, type ActorType, type AuditOutcome } from './audit-event.entity';

export interface AuditActor {
  type: ActorType;
  id: string | null;
  email: string | null;
  roles: string[];
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  target?: { type: string; id: string } | null;
  outcome: AuditOutcome;
  reason?: string | null;
  ticket?: string | null;
  /** Field changes, already passed through the field policy's masking for storage. */
  changes?: Record<string, unknown> | null;
  /** Extra facts (e.g. which personal fields a search used, how many results). No clear personal data. */
  details?: Record<string, unknown> | null;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** The fields of an event that its hash covers, in a fixed shape. */
export function hashedContent(e: AuditEventEntity) {
  return {
    id: e.id,
    seq: String(e.seq),
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
 * The one way events get into the audit log. Must stay true:
 * - an event of a change is written with the caller's EntityManager, inside the change's
 *   transaction, so the change and its event commit together or not at all;
 * - the chain position is taken under the lock of audit_chain_head, inside the transaction that
 *   inserts the event, so concurrent writers (any number of instances) never fork the chain;
 *   callers write the event last in their transaction, so the lock is held briefly.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(input: AuditInput, manager?: EntityManager): Promise<AuditEventEntity> {
    if (manager) return this.append(manager, input);
    return this.dataSource.transaction((m) => this.append(m, input));
  }

  private async append(m: EntityManager, input: AuditInput): Promise<AuditEventEntity> {
    const [head] = (await m.query(`SELECT seq, hash FROM audit_chain_head WHERE id FOR UPDATE`)) as {
      seq: string;
      hash: string;
    }[];
    const event = m.create(AuditEventEntity, {
      id: randomUUID(),
      seq: String(BigInt(head!.seq) + 1n),
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
      prevHash: head!.hash,
      hash: '',
    });
    event.hash = chainHash(event.prevHash, hashedContent(event));
    await m.query(
      `INSERT INTO audit_event (id, seq, occurred_at, actor_type, actor_id, actor_email, actor_roles, action,
         target_type, target_id, outcome, reason, ticket, changes, details, request_id, ip, user_agent, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [
        event.id,
        event.seq,
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
        event.changes === null ? null : JSON.stringify(event.changes),
        event.details === null ? null : JSON.stringify(event.details),
        event.requestId,
        event.ip,
        event.userAgent,
        event.prevHash,
        event.hash,
      ],
    );
    await m.query(`UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id`, [event.seq, event.hash]);
    return event;
  }
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
