import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('message')
export class MessageEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId: string;
  @Column('text') direction: 'sent' | 'received';
  @Column('text') body: string;
  @Column('timestamptz', { name: 'sent_at' }) sentAt: Date;
}
