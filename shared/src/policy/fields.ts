import type { MaskKind } from './masking.js';
import { Permission } from './permissions.js';
import { ROLES, type Role } from './roles.js';

/**
 * The field policy: for every field of every resource the API returns, its class, how it is
 * masked, and what each role sees. The API applies it in one mapper on every read path; the
 * console reads it only to decide what to show. A field not listed here is never sent.
 */
export type FieldClass = 'public' | 'internal' | 'personal' | 'secret';
export type Visibility = 'clear' | 'masked' | 'hidden';

export interface FieldRule {
  class: FieldClass;
  /** How a `masked` value is shown. Required when any role sees the field masked. */
  mask?: MaskKind;
  /** What each role sees; a person with several roles gets the most open of them. */
  access: Readonly<Record<Role, Visibility>>;
  /** The permission that lets a person reveal the clear value for a while, with a reason. */
  reveal?: Permission;
}

const everyone = (v: Visibility): Record<Role, Visibility> =>
  Object.fromEntries(ROLES.map((r) => [r, v])) as Record<Role, Visibility>;

/** Roles that read customer accounts at all; an admin manages staff and sees no customer data. */
const readers = (v: Visibility): Record<Role, Visibility> => ({ ...everyone(v), admin: 'hidden' });

const PUBLIC: FieldRule = { class: 'public', access: readers('clear') };
const INTERNAL: FieldRule = { class: 'internal', access: readers('clear') };

export const RESOURCES = [
  'account',
  'paymentMethod',
  'conversation',
  'message',
  'customerSession',
  'note',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const FIELD_POLICY: Readonly<Record<Resource, Readonly<Record<string, FieldRule>>>> = {
  account: {
    id: PUBLIC,
    handle: PUBLIC,
    displayName: INTERNAL,
    email: {
      class: 'personal',
      mask: 'email',
      access: readers('masked'),
      reveal: Permission.AccountRevealEmail,
    },
    emailVerified: INTERNAL,
    phone: {
      class: 'personal',
      mask: 'phone',
      access: readers('masked'),
      reveal: Permission.AccountRevealPhone,
    },
    dateOfBirth: {
      class: 'personal',
      mask: 'dateOfBirth',
      access: { ...everyone('hidden'), support: 'masked' },
      reveal: Permission.AccountRevealDateOfBirth,
    },
    address: {
      class: 'personal',
      mask: 'address',
      access: { ...everyone('hidden'), support: 'masked', engineer: 'masked' },
      reveal: Permission.AccountRevealAddress,
    },
    region: PUBLIC,
    status: PUBLIC,
    plan: PUBLIC,
    creditBalanceCents: INTERNAL,
    mfaEnabled: INTERNAL,
    createdAt: PUBLIC,
    lastLoginAt: INTERNAL,
    // An IP address is personal data; engineers need it to debug sign-in problems.
    lastLoginIp: { class: 'personal', access: { ...everyone('hidden'), engineer: 'clear' } },
    marketingOptIn: INTERNAL,
    version: PUBLIC,
  },
  paymentMethod: {
    id: PUBLIC,
    brand: PUBLIC,
    // The last four digits may be shown under PCI DSS; the full number is never stored.
    last4: PUBLIC,
    expiryMonth: INTERNAL,
    expiryYear: INTERNAL,
    billingName: {
      class: 'personal',
      mask: 'text',
      access: { ...everyone('hidden'), support: 'masked', engineer: 'masked' },
    },
    fingerprint: {
      class: 'secret',
      mask: 'fingerprint',
      access: { ...everyone('hidden'), engineer: 'masked' },
    },
    createdAt: PUBLIC,
  },
  // Private conversations: who and what stay hidden unless revealed with a reason.
  conversation: {
    id: PUBLIC,
    subject: { class: 'personal', access: everyone('hidden'), reveal: Permission.AccountRevealConversations },
    participantHandle: {
      class: 'personal',
      access: everyone('hidden'),
      reveal: Permission.AccountRevealConversations,
    },
    messageCount: INTERNAL,
    lastMessageAt: INTERNAL,
    createdAt: INTERNAL,
  },
  message: {
    id: PUBLIC,
    conversationId: PUBLIC,
    direction: INTERNAL,
    body: { class: 'personal', access: everyone('hidden'), reveal: Permission.AccountRevealConversations },
    sentAt: INTERNAL,
  },
  customerSession: {
    id: PUBLIC,
    device: INTERNAL,
    ip: { class: 'personal', access: { ...everyone('hidden'), engineer: 'clear' } },
    userAgent: INTERNAL,
    createdAt: INTERNAL,
    lastSeenAt: INTERNAL,
    revokedAt: INTERNAL,
  },
  note: {
    id: PUBLIC,
    authorEmail: INTERNAL,
    body: INTERNAL,
    createdAt: INTERNAL,
  },
};

/** Revealing any conversation field reveals the conversation: subject, participant and messages. */
export const REVEALABLE_FIELDS = ['email', 'phone', 'dateOfBirth', 'address', 'conversations'] as const;
export type RevealableField = (typeof REVEALABLE_FIELDS)[number];

export const REVEAL_PERMISSIONS: Readonly<Record<RevealableField, Permission>> = {
  email: Permission.AccountRevealEmail,
  phone: Permission.AccountRevealPhone,
  dateOfBirth: Permission.AccountRevealDateOfBirth,
  address: Permission.AccountRevealAddress,
  conversations: Permission.AccountRevealConversations,
};

const RANK: Record<Visibility, number> = { hidden: 0, masked: 1, clear: 2 };

/** What a person with these roles sees of a field: the most open of their roles. */
export function visibilityFor(rule: FieldRule, roles: readonly string[]): Visibility {
  let best: Visibility = 'hidden';
  for (const role of roles) {
    const v = (rule.access as Record<string, Visibility | undefined>)[role];
    if (v && RANK[v] > RANK[best]) best = v;
  }
  return best;
}
