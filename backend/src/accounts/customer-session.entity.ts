import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('customer_session')
export class CustomerSessionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text') device: string;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('text', { name: 'user_agent' }) userAgent: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'last_seen_at' }) lastSeenAt: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
