import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A personal access token: stored as the SHA-256 of its value, which is shown once. */
@Entity('personal_access_token')
export class PersonalAccessTokenEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('text') name: string;
  @Column('text', { name: 'token_hash' }) tokenHash: string;
  @Column('text', { array: true }) permissions: string[];
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt: Date;
  @Column('timestamptz', { name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt: Date | null;
}
