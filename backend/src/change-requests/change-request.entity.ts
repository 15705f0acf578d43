import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChangeRequestStatus } from '@custodian/shared';

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
