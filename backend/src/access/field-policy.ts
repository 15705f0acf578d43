import {
  maskerOf,
  type MaskedValue,
  type Permission,
  FIELD_POLICY,
  visibilityFor,
  type Redactions,
  type Resource,
  type RevealableField,
  type Visibility,
} from '@custodian/shared';
import type { Principal } from '../auth/principal';

/**
 * The one serializer every read path goes through. Must stay true: it fails closed. A field the
 * policy does not name is dropped; a field a role may only see masked is masked here, on the
 * server; a hidden field is absent; and each record lists what was masked or withheld.
 */
export interface Viewer {
  roles: readonly string[];
  permissions: readonly string[];
  /** Fields of this record's account the viewer holds a live reveal grant for. */
  revealed: ReadonlySet<RevealableField>;
}

const NOTHING_REVEALED: ReadonlySet<RevealableField> = new Set();

export function viewerOf(
  principal: Principal,
  revealed: ReadonlySet<RevealableField> = NOTHING_REVEALED,
): Viewer {
  return { roles: principal.roles, permissions: principal.permissions, revealed };
}

const REVEALABLE_ACCOUNT_FIELDS: ReadonlySet<string> = new Set(['email', 'phone', 'dateOfBirth', 'address']);

/** Which reveal grant unlocks a field: conversation fields all hang on "conversations". */
function revealKey(resource: Resource, field: string): RevealableField | undefined {
  if (resource === 'conversation' || resource === 'message') return 'conversations';
  if (resource === 'account' && REVEALABLE_ACCOUNT_FIELDS.has(field)) return field as RevealableField;
  return undefined;
}

/** How one field of a resource reaches one role set. */
interface FieldPlan {
  visibility: Visibility;
  /** The field's masker, when the policy names one. */
  mask: ((value: unknown) => MaskedValue) | undefined;
  /** What shows the field in clear when the role set may only see it masked or not at all. */
  unlock: { grant: RevealableField; permission: Permission } | undefined;
}

/**
 * Each resource's plan for a role set, worked out once: a page presents many records to one
 * principal, whose roles are one array, so the policy is weighed against them once, not once per
 * field of every record (weighing it per field was a tenth of a page's CPU). Keyed weakly: gone
 * with the principal.
 */
const plansByRoles = new WeakMap<readonly string[], Map<Resource, Map<string, FieldPlan>>>();

function planFor(resource: Resource, roles: readonly string[]): Map<string, FieldPlan> {
  let byResource = plansByRoles.get(roles);
  if (!byResource) plansByRoles.set(roles, (byResource = new Map()));
  let plan = byResource.get(resource);
  if (!plan) {
    plan = new Map();
    for (const [field, rule] of Object.entries(FIELD_POLICY[resource])) {
      const visibility = visibilityFor(rule, roles);
      const grant = visibility !== 'clear' && rule.reveal ? revealKey(resource, field) : undefined;
      const unlock = grant && rule.reveal ? { grant, permission: rule.reveal } : undefined;
      plan.set(field, { visibility, mask: rule.mask && maskerOf(rule.mask), unlock });
    }
    byResource.set(resource, plan);
  }
  return plan;
}

export function present<T extends Redactions>(
  resource: Resource,
  values: Record<string, unknown>,
  viewer: Viewer,
): T {
  const plan = planFor(resource, viewer.roles);
  const out: Record<string, unknown> = {};
  const masked: string[] = [];
  const hidden: string[] = [];
  const revealed: string[] = [];
  // Most records are read with no grant at all: then no field needs its grant looked up.
  const anyGrant = viewer.revealed.size > 0;
  for (const field in values) {
    const fieldPlan = plan.get(field);
    if (!fieldPlan) continue;
    const { mask, unlock } = fieldPlan;
    const value = values[field];
    let visibility = fieldPlan.visibility;
    if (
      anyGrant &&
      unlock &&
      viewer.revealed.has(unlock.grant) &&
      viewer.permissions.includes(unlock.permission)
    ) {
      visibility = 'clear';
      revealed.push(field);
    }
    if (visibility === 'clear') {
      out[field] = value;
    } else if (visibility === 'masked' && mask) {
      out[field] = value === null || value === undefined ? value : mask(value);
      masked.push(field);
    } else {
      // Hidden, or masked without a masking function: withheld either way.
      hidden.push(field);
    }
  }
  out.masked = masked;
  out.hidden = hidden;
  out.revealed = revealed;
  return out as T;
}

/** Whether a role set may use a field to filter or sort (only fields it reads in clear). */
export function readsInClear(resource: Resource, field: string, viewer: Viewer): boolean {
  const rule = FIELD_POLICY[resource][field];
  return !!rule && visibilityFor(rule, viewer.roles) === 'clear';
}

/** A staff member's fields a diff may show: staff data, none of it a customer's personal data. */
const STAFF_FIELDS: ReadonlySet<string> = new Set(['email', 'displayName', 'roles', 'active']);

/**
 * Before/after values of one record's fields (audit events, change requests, dry runs). The target
 * type says whose fields they are, never the field names: "email" is personal data on an account
 * and staff data on a staff member. Account fields (the default) pass through the same policy as
 * the account itself (so do those of any other target type). A staff member's fields are shown as
 * they are to whoever may read the event or request at all (the caller has checked that). A bulk
 * request's change is only its counts of accounts (each account's diff is an event or item of its
 * own): the counts are shown, as numbers, and nothing else. A field none of these knows shows only
 * that it changed.
 */
export function presentChanges(
  changes: Record<string, unknown>,
  viewer: Viewer,
  targetType: string | null = 'account',
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [field, change] of Object.entries(changes)) {
    if (targetType === 'bulk') {
      // Stored as { accounts: { total, applicable, skipped } }: a summary, not a before/after.
      out[field] = field === 'accounts' ? { before: null, after: bulkCounts(change) } : WITHHELD;
      continue;
    }
    const { before, after } = (change ?? {}) as { before?: unknown; after?: unknown };
    if (field === SESSIONS_ENTRY && targetType !== 'staff') {
      // Not an account field: how many customer sessions an operation ends, live before and none
      // after. Shown as its two counts, numbers or null: nothing else it may carry.
      out[field] = { before: countOrNull(before), after: countOrNull(after) };
      continue;
    }
    if (targetType === 'staff') {
      out[field] = STAFF_FIELDS.has(field) ? { before, after } : WITHHELD;
      continue;
    }
    const b = present<Redactions & Record<string, unknown>>('account', { [field]: before }, viewer);
    const a = present<Redactions & Record<string, unknown>>('account', { [field]: after }, viewer);
    out[field] = field in b ? { before: b[field], after: a[field] } : WITHHELD;
  }
  return out;
}

const WITHHELD = { before: '[hidden]', after: '[hidden]' } as const;

/** The diff entry of the customer sessions an operation ends (operations/operation-changes.ts). */
export const SESSIONS_ENTRY = 'sessions';

const countOrNull = (v: unknown) => (typeof v === 'number' ? v : null);

/** A bulk request's counts of accounts, each a number or null: nothing else it may hold. */
export function bulkCounts(value: unknown): {
  total: number | null;
  applicable: number | null;
  skipped: number | null;
} {
  const counts = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return {
    total: countOrNull(counts.total),
    applicable: countOrNull(counts.applicable),
    skipped: countOrNull(counts.skipped),
  };
}
