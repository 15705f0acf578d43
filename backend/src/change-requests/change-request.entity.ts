import { ConflictException } from '@nestjs/common';
import { Column, Entity, EntityManager, PrimaryGeneratedColumn } from 'typeorm';
import { AuditAction, type ChangeRequestStatus } from '@custodian/shared';
import type { AuditInput } from '../audit/audit.service';

/** An operation waiting for a second person: the exact payload and diff, bound by payloadHash. */
@Entity('change_request')
export class ChangeRequestEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') operation: string;
  @Column('text', { name: 'target_type' }) targetType: string;
  @Column('uuid', { name: 'target_id' }) targetId: string;
  @Column('jsonb') params: Record<string, unknown>;
  @Column('jsonb') changes: Record<string, unknown>;
  @Column('integer', { name: 'expected_version' }) expectedVersion: number;
  @Column('text', { name: 'payload_hash' }) payloadHash: string;
  @Column('uuid', { name: 'requested_by' }) requestedBy: string;
  @Column('text', { name: 'requested_by_email' }) requestedByEmail: string;
  @Column('text') reason: string;
  @Column('text', { nullable: true }) ticket: string | null;
  @Column('text') status: ChangeRequestStatus;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('text', { name: 'decided_by_email', nullable: true }) decidedByEmail: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('text', { nullable: true }) comment: string | null;
  @Column('text', { nullable: true }) failure: string | null;
}

/** A new pending request: what each kind of request (operation, role grant) fills in, and the rest. */
export function newChangeRequest(
  fields: Pick<
    ChangeRequestEntity,
    | 'operation'
    | 'targetType'
    | 'targetId'
    | 'params'
    | 'changes'
    | 'expectedVersion'
    | 'payloadHash'
    | 'requestedBy'
    | 'requestedByEmail'
    | 'reason'
    | 'ticket'
  >,
  expiresInHours: number,
): ChangeRequestEntity {
  const now = new Date();
  return Object.assign(new ChangeRequestEntity(), {
    ...fields,
    status: 'pending',
    createdAt: now,
    expiresAt: new Date(now.getTime() + expiresInHours * 3_600_000),
    decidedBy: null,
    decidedByEmail: null,
    decidedAt: null,
    comment: null,
    failure: null,
  });
}

/**
 * What a decision's event says of the request beyond its id: the operation and the request's own
 * target. The event's target is the request, but the diff it carries is that of the request's
 * target, and the audit mapper presents it by `requestTarget.type` (audit-event.mapper.ts).
 */
export function decisionDetails(request: Pick<ChangeRequestEntity, 'operation' | 'targetType' | 'targetId'>) {
  return {
    operation: request.operation,
    requestTarget: { type: request.targetType, id: request.targetId },
  };
}

/**
 * The event of a rejection, whether a reviewer's or the one a deactivation makes of the grants
 * that waited for the person: the comment is its reason, the request its target.
 */
export function rejectionEvent(
  event: Omit<AuditInput, 'action' | 'outcome'>,
  id: string,
  request: Pick<ChangeRequestEntity, 'operation' | 'targetType' | 'targetId'>,
  comment: string,
): AuditInput {
  return {
    ...event,
    action: AuditAction.ChangeRequestReject,
    outcome: 'success',
    target: { type: 'change_request', id },
    reason: comment,
    details: decisionDetails(request),
  };
}

/**
 * Serialises the filing of requests on one target, in the caller's transaction, so that two
 * identical filings at once cannot both miss each other's pending request. (The two-key form of
 * the advisory lock does not share its key space with the audit chain's one-key lock.)
 */
export async function lockRequestsOn(m: EntityManager, targetId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('change_request'), hashtext($1))`, [targetId]);
}

/**
 * The pending request on this target that would do exactly what a new one asks (same operation,
 * parameters and starting point), if there is one: filing it again would only queue a copy that
 * cannot apply once the first does. Call under lockRequestsOn.
 */
export async function identicalPending(
  m: EntityManager,
  request: Pick<ChangeRequestEntity, 'operation' | 'targetType' | 'targetId' | 'payloadHash'>,
): Promise<ChangeRequestEntity | null> {
  return m
    .getRepository(ChangeRequestEntity)
    .createQueryBuilder('c')
    .where(`c.status = 'pending' AND c.expires_at > now()`)
    .andWhere('c.target_type = :type AND c.target_id = :id', {
      type: request.targetType,
      id: request.targetId,
    })
    .andWhere('c.operation = :operation AND c.payload_hash = :hash', {
      operation: request.operation,
      hash: request.payloadHash,
    })
    .orderBy('c.created_at', 'ASC')
    .getOne();
}

/** The 409 for a request already waiting, naming it so the caller can follow that one instead. */
export function alreadyWaiting(existing: ChangeRequestEntity): ConflictException {
  return new ConflictException(
    `an identical request is already waiting for approval (change request ${existing.id}); follow that one instead of filing it again`,
  );
}
