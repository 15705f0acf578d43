import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccountEntity } from '../../src/accounts/account.entity';
import { ConversationEntity } from '../../src/accounts/conversation.entity';
import { CustomerSessionEntity } from '../../src/accounts/customer-session.entity';
import { MessageEntity } from '../../src/accounts/message.entity';
import { NoteEntity } from '../../src/accounts/note.entity';
import { PaymentMethodEntity } from '../../src/accounts/payment-method.entity';

let counter = 0;

/** An account with plausible values; tests override what they assert on. */
export function buildAccount(overrides: Partial<AccountEntity> = {}): AccountEntity {
  const n = ++counter;
  return Object.assign(new AccountEntity(), {
    id: randomUUID(),
    handle: `customer${n}`,
    displayName: `Customer Number ${n}`,
    email: `customer${n}@example.com`,
    emailVerified: true,
    phone: `+4915100${String(n).padStart(6, '0')}`,
    dateOfBirth: '1985-04-12',
    addressStreet: `${n} Main Street`,
    addressCity: 'Berlin',
    addressPostalCode: '10115',
    addressCountry: 'DE',
    region: 'EU',
    status: 'active',
    plan: 'free',
    creditBalanceCents: '0',
    mfaEnabled: false,
    createdAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000),
    updatedAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000),
    lastLoginAt: null,
    lastLoginIp: null,
    marketingOptIn: false,
    version: 1,
    ...overrides,
  });
}

export async function insertAccounts(ds: DataSource, accounts: AccountEntity[]): Promise<AccountEntity[]> {
  // PostgreSQL takes at most 65,535 parameters a statement: a thousand accounts at a time.
  for (let i = 0; i < accounts.length; i += 1000) {
    await ds.getRepository(AccountEntity).insert(accounts.slice(i, i + 1000));
  }
  return accounts;
}

export async function insertRelated(ds: DataSource, accountId: string, count: number) {
  const base = Date.UTC(2025, 0, 1);
  const paymentMethods = Array.from({ length: count }, (_, i) =>
    Object.assign(new PaymentMethodEntity(), {
      id: randomUUID(),
      accountId,
      brand: 'visa',
      last4: String(1000 + i),
      expiryMonth: 1 + (i % 12),
      expiryYear: 2030,
      billingName: 'Card Holder',
      fingerprint: `fp_${i}`,
      createdAt: new Date(base + i * 1000),
    }),
  );
  const conversations = Array.from({ length: count }, (_, i) =>
    Object.assign(new ConversationEntity(), {
      id: randomUUID(),
      accountId,
      subject: `Conversation ${i}`,
      participantHandle: `friend${i}`,
      messageCount: 2,
      lastMessageAt: new Date(base + i * 1000 + 500),
      createdAt: new Date(base + i * 1000),
    }),
  );
  const messages = conversations.flatMap((c, i) =>
    [0, 1].map((j) =>
      Object.assign(new MessageEntity(), {
        id: randomUUID(),
        conversationId: c.id,
        direction: j === 0 ? 'sent' : 'received',
        body: `message ${j} of conversation ${i}`,
        sentAt: new Date(base + i * 1000 + j * 250),
      }),
    ),
  );
  const sessions = Array.from({ length: count }, (_, i) =>
    Object.assign(new CustomerSessionEntity(), {
      id: randomUUID(),
      accountId,
      device: 'iPhone',
      ip: `203.0.113.${i}`,
      userAgent: 'Mozilla/5.0',
      createdAt: new Date(base + i * 1000),
      lastSeenAt: new Date(base + i * 1000 + 10),
      revokedAt: null,
    }),
  );
  const notes = Array.from({ length: count }, (_, i) =>
    Object.assign(new NoteEntity(), {
      id: randomUUID(),
      accountId,
      authorId: null,
      authorEmail: 'support@demo.test',
      body: `note ${i}`,
      createdAt: new Date(base + i * 1000),
    }),
  );
  await ds.getRepository(PaymentMethodEntity).insert(paymentMethods);
  await ds.getRepository(ConversationEntity).insert(conversations);
  await ds.getRepository(MessageEntity).insert(messages);
  await ds.getRepository(CustomerSessionEntity).insert(sessions);
  await ds.getRepository(NoteEntity).insert(notes);
  return { paymentMethods, conversations, messages, sessions, notes };
}
