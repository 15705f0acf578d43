import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('staff_recovery_code')
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'staff_id' }) staffId: string;
  @Column('text', { name: 'code_hash' }) codeHash: string;
  @Column('timestamptz', { name: 'used_at', nullable: true }) usedAt: Date | null;
}
