/**
 * The account contract of API.md, shared by the API (which builds these shapes in its mappers)
 * and the console (which renders them). Masked fields carry the masked string; hidden fields are
 * absent, and every record names them in `masked` and `hidden`.
 */

export const REGIONS = ['EU', 'US', 'APAC'] as const;
export type Region = (typeof REGIONS)[number];

export const ACCOUNT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const PLANS = ['free', 'plus', 'pro'] as const;
export type Plan = (typeof PLANS)[number];

export const ACCOUNT_SORT_FIELDS = ['createdAt', 'handle', 'lastLoginAt'] as const;
export type AccountSortField = (typeof ACCOUNT_SORT_FIELDS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const PAGE_LIMIT_DEFAULT = 25;
export const PAGE_LIMIT_MAX = 100;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Names the fields of a record that were masked or withheld for the caller. */
export interface Redactions {
  masked: string[];
  hidden: string[];
  /**
   * Fields shown in clear only because the caller holds a live reveal grant on this record, so a
   * console can mark them as revealed wherever they appear, not only where the reveal was asked.
   */
  revealed: string[];
}

export interface Address {
  street?: string;
  city?: string;
  postalCode?: string;
  country?: string;
}

export interface AccountSummary extends Redactions {
  id: string;
  handle: string;
  displayName: string;
  email?: string;
  phone?: string;
  region: Region;
  status: AccountStatus;
  plan: Plan;
  createdAt: string;
  lastLoginAt?: string | null;
}

export interface Account extends AccountSummary {
  emailVerified?: boolean;
  dateOfBirth?: string | null;
  address?: Address;
  creditBalanceCents?: number;
  mfaEnabled?: boolean;
  lastLoginIp?: string | null;
  marketingOptIn?: boolean;
  version: number;
}

export interface PaymentMethod extends Redactions {
  id: string;
  brand: string;
  last4?: string;
  expiryMonth?: number;
  expiryYear?: number;
  billingName?: string;
  fingerprint?: string;
  createdAt: string;
}

export interface Conversation extends Redactions {
  id: string;
  subject?: string;
  participantHandle?: string;
  messageCount: number;
  lastMessageAt: string | null;
  createdAt: string;
}

export interface Message extends Redactions {
  id: string;
  conversationId: string;
  direction: 'sent' | 'received';
  body?: string;
  sentAt: string;
}

export interface CustomerSession extends Redactions {
  id: string;
  device?: string;
  ip?: string | null;
  userAgent?: string;
  createdAt: string;
  lastSeenAt: string;
  revokedAt: string | null;
}

export interface Note extends Redactions {
  id: string;
  authorEmail?: string;
  body?: string;
  createdAt: string;
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string | string[];
}

export interface RevealRequest {
  fields: string[];
  reason: string;
  ticket?: string;
}

export interface RevealResponse {
  /** The clear values; `conversations: true` unlocks the account's conversations and messages. */
  values: Record<string, unknown>;
  expiresAt: string;
}

export const REVEAL_REASON_MIN_LENGTH = 10;

export const AUDIT_OUTCOMES = ['success', 'denied', 'error', 'pending'] as const;
export type AuditOutcomeName = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  id: string;
  seq: number;
  occurredAt: string;
  actor: { type: 'staff' | 'token' | 'system'; id: string | null; email: string | null; roles: string[] };
  action: string;
  target: { type: string; id: string } | null;
  outcome: AuditOutcomeName;
  reason: string | null;
  ticket: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  details: Record<string, unknown> | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  valid: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstInvalidSeq?: number;
  /** Why the first invalid event fails: its hash, its link to the previous one, or a gap. */
  problem?: string;
}
