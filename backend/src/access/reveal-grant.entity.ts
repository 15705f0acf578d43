import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A time-limited permission for one person to see one field of one account in clear. */
@Entity('reveal_grant')
export class RevealGrantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text') field: string;
  @Column('text') reason: string;
  @Column('text', { nullable: true }) ticket: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
}
