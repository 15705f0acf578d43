import type { Conversation, CustomerSession, Message, Note, PaymentMethod } from '@custodian/shared';
import type { ConversationEntity } from './conversation.entity';
import type { CustomerSessionEntity } from './customer-session.entity';
import type { MessageEntity } from './message.entity';
import type { NoteEntity } from './note.entity';
import type { PaymentMethodEntity } from './payment-method.entity';

/** The related lists of an account page; like account.mapper.ts, each field is named on purpose. */

export function toPaymentMethod(e: PaymentMethodEntity): PaymentMethod {
  return {
    id: e.id,
    brand: e.brand,
    last4: e.last4,
    expiryMonth: e.expiryMonth,
    expiryYear: e.expiryYear,
    billingName: e.billingName,
    fingerprint: e.fingerprint,
    createdAt: e.createdAt.toISOString(),
    masked: [],
    hidden: [],
  };
}

export function toConversation(e: ConversationEntity): Conversation {
  return {
    id: e.id,
    subject: e.subject,
    participantHandle: e.participantHandle,
    messageCount: e.messageCount,
    lastMessageAt: e.lastMessageAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
    masked: [],
    hidden: [],
  };
}

export function toMessage(e: MessageEntity): Message {
  return {
    id: e.id,
    conversationId: e.conversationId,
    direction: e.direction,
    body: e.body,
    sentAt: e.sentAt.toISOString(),
    masked: [],
    hidden: [],
  };
}

export function toCustomerSession(e: CustomerSessionEntity): CustomerSession {
  return {
    id: e.id,
    device: e.device,
    ip: e.ip,
    userAgent: e.userAgent,
    createdAt: e.createdAt.toISOString(),
    lastSeenAt: e.lastSeenAt.toISOString(),
    revokedAt: e.revokedAt?.toISOString() ?? null,
    masked: [],
    hidden: [],
  };
}

export function toNote(e: NoteEntity): Note {
  return {
    id: e.id,
    authorEmail: e.authorEmail,
    body: e.body,
    createdAt: e.createdAt.toISOString(),
    masked: [],
    hidden: [],
  };
}
