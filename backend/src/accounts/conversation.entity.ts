import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer's private chat with another user: hidden from staff unless revealed (later issue). */
@Entity('conversation')
export class ConversationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text') subject: string;
  @Column('text', { name: 'participant_handle' }) participantHandle: string;
  @Column('integer', { name: 'message_count' }) messageCount: number;
  @Column('timestamptz', { name: 'last_message_at', nullable: true }) lastMessageAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
