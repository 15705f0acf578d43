import { Column, Entity, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'denied' | 'error' | 'pending';
export type ActorType = 'staff' | 'token' | 'system';

/** One audit event. Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this table. */
@Entity('audit_event')
export class AuditEventEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('bigint') seq: string;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
  @Column('text', { name: 'actor_type' }) actorType: ActorType;
  @Column('text', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_email', nullable: true }) actorEmail: string | null;
  @Column('text', { name: 'actor_roles', array: true }) actorRoles: string[];
  @Column('text') action: string;
  @Column('text', { name: 'target_type', nullable: true }) targetType: string | null;
  @Column('text', { name: 'target_id', nullable: true }) targetId: string | null;
  @Column('text') outcome: AuditOutcome;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('text', { nullable: true }) ticket: string | null;
  // Field changes as { field: { before, after } }, masked by the field policy before they are stored.
  @Column('jsonb', { nullable: true }) changes: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) details: Record<string, unknown> | null;
  @Column('text', { name: 'request_id', nullable: true }) requestId: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent: string | null;
  @Column('text', { name: 'prev_hash' }) prevHash: string;
  @Column('text') hash: string;
}
