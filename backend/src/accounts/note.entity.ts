import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('note')
export class NoteEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('uuid', { name: 'author_id', nullable: true }) authorId: string | null;
  @Column('text', { name: 'author_email' }) authorEmail: string;
  @Column('text') body: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
