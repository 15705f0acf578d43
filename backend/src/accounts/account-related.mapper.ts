import type { Conversation, CustomerSession, Message, Note, PaymentMethod } from '@custodian/shared';
import { present, type Viewer } from '../access/field-policy';
import type { ConversationEntity } from './conversation.entity';
import type { CustomerSessionEntity } from './customer-session.entity';
import type { MessageEntity } from './message.entity';
import type { NoteEntity } from './note.entity';
import type { PaymentMethodEntity } from './payment-method.entity';

/** The related lists of an account page; like account.mapper.ts, every field passes the field policy. */

export function toPaymentMethod(e: PaymentMethodEntity, viewer: Viewer): PaymentMethod {
  return present<PaymentMethod>(
    'paymentMethod',
    {
      id: e.id,
      brand: e.brand,
      last4: e.last4,
      expiryMonth: e.expiryMonth,
      expiryYear: e.expiryYear,
      billingName: e.billingName,
      fingerprint: e.fingerprint,
      createdAt: e.createdAt.toISOString(),
    },
    viewer,
  );
}

export function toConversation(e: ConversationEntity, viewer: Viewer): Conversation {
  return present<Conversation>(
    'conversation',
    {
      id: e.id,
      subject: e.subject,
      participantHandle: e.participantHandle,
      messageCount: e.messageCount,
      lastMessageAt: e.lastMessageAt?.toISOString() ?? null,
      createdAt: e.createdAt.toISOString(),
    },
    viewer,
  );
}

export function toMessage(e: MessageEntity, viewer: Viewer): Message {
  return present<Message>(
    'message',
    {
      id: e.id,
      conversationId: e.conversationId,
      direction: e.direction,
      body: e.body,
      sentAt: e.sentAt.toISOString(),
    },
    viewer,
  );
}

export function toCustomerSession(e: CustomerSessionEntity, viewer: Viewer): CustomerSession {
  return present<CustomerSession>(
    'customerSession',
    {
      id: e.id,
      device: e.device,
      ip: e.ip,
      userAgent: e.userAgent,
      createdAt: e.createdAt.toISOString(),
      lastSeenAt: e.lastSeenAt.toISOString(),
      revokedAt: e.revokedAt?.toISOString() ?? null,
    },
    viewer,
  );
}

export function toNote(e: NoteEntity, viewer: Viewer): Note {
  return present<Note>(
    'note',
    {
      id: e.id,
      authorEmail: e.authorEmail,
      body: e.body,
      createdAt: e.createdAt.toISOString(),
    },
    viewer,
  );
}
