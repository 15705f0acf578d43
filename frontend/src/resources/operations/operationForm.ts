/**
 * Builds operation forms from the catalogue (`GET /api/operations`, the same data as
 * `OPERATIONS` in @custodian/shared): which input each parameter gets, how its value is checked
 * before sending, and the request body. The server validates everything again.
 */
import {
  MASKED,
  OPERATION_REASON_MIN_LENGTH,
  isCompleteEmail,
  readableLength,
  type OperationDefinition,
  type OperationParam,
} from '@custodian/shared';
import type { OperationRequestBody } from '../../providers/contracts';
import { formatCents } from '../accounts/format';
import { planLabel } from '../accounts/choices';

export type InputKind = 'email' | 'tel' | 'select' | 'number' | 'textarea';

export interface ParamInput {
  name: string;
  label: string;
  kind: InputKind;
  choices?: { id: string; name: string }[];
  min?: number;
  max?: number;
  helperText?: string;
  validate: (value: unknown) => string | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Strips what people type around a phone number (spaces, dashes, brackets, dots). */
export function normalizePhoneInput(value: string): string {
  return value.replace(/[\s\-().]/g, '');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

function validatorFor(param: OperationParam): (value: unknown) => string | undefined {
  return (value) => {
    const given = text(value);
    if (given === '') return `${param.label} is required`;
    switch (param.type) {
      case 'email':
        if (given.includes(MASKED)) return 'Enter the whole new address, not a masked one';
        return isCompleteEmail(given) ? undefined : 'Enter a whole email address';
      case 'phone':
        return E164.test(normalizePhoneInput(given))
          ? undefined
          : 'Enter the number in international format, e.g. +4915112345678';
      case 'plan':
        return !param.choices || param.choices.includes(given) ? undefined : 'Pick one of the plans';
      case 'cents': {
        const cents = Number(given);
        if (!Number.isInteger(cents)) return 'Enter a whole number of cents';
        // Said as money: "At most 10000000" leaves the reader counting zeros.
        if (param.min !== undefined && cents < param.min) return `At least ${formatCents(param.min)}`;
        if (param.max !== undefined && cents > param.max) return `At most ${formatCents(param.max)}`;
        return undefined;
      }
      case 'text':
        if (param.min !== undefined && given.length < param.min) return `At least ${param.min} characters`;
        if (param.max !== undefined && given.length > param.max) return `At most ${param.max} characters`;
        return undefined;
    }
  };
}

const KINDS: Record<OperationParam['type'], InputKind> = {
  email: 'email',
  phone: 'tel',
  plan: 'select',
  cents: 'number',
  text: 'textarea',
};

/** The inputs of an operation's form, one per parameter, in catalogue order. */
export function paramInputs(definition: Pick<OperationDefinition, 'params'>): ParamInput[] {
  return definition.params.map((param) => ({
    name: param.name,
    label: param.label,
    kind: KINDS[param.type],
    choices: param.choices?.map((choice) => ({ id: choice, name: planLabel(choice) })),
    min: param.min,
    max: param.max,
    helperText: param.type === 'cents' ? 'Whole cents: 2500 is $25.00' : undefined,
    validate: validatorFor(param),
  }));
}

/** Checks the reason every operation needs. */
export function validateOperationReason(value: unknown): string | undefined {
  if (readableLength(text(value)) < OPERATION_REASON_MIN_LENGTH)
    return `Say why in at least ${OPERATION_REASON_MIN_LENGTH} characters`;
  return undefined;
}

/**
 * The body of `POST /api/accounts/:id/operations/:name`: reason, ticket when given, the version
 * of the account the person looked at, and exactly the operation's own parameters, typed.
 */
export function buildOperationBody(
  definition: Pick<OperationDefinition, 'params'>,
  values: Record<string, unknown>,
  expectedVersion: number,
): OperationRequestBody {
  const body: OperationRequestBody = { reason: text(values.reason), expectedVersion };
  const ticket = text(values.ticket);
  if (ticket) body.ticket = ticket;
  for (const param of definition.params) {
    const given = text(values[param.name]);
    if (param.type === 'cents') body[param.name] = given === '' ? undefined : Number(given);
    else if (param.type === 'phone') body[param.name] = normalizePhoneInput(given);
    else body[param.name] = given;
  }
  return body;
}

/** A sentence on what happens after Confirm, from the catalogue's approval rule. */
export function approvalHint(definition: Pick<OperationDefinition, 'approval'>, capCents?: number): string {
  switch (definition.approval) {
    case 'always':
      return 'This operation needs a second person: confirming creates a change request.';
    case 'above-cap':
      return capCents !== undefined && capCents > 0
        ? `Amounts above your cap of ${formatCents(capCents)} need a second person's approval.`
        : "Amounts above your cap need a second person's approval.";
    default:
      return 'Applied at once when you confirm.';
  }
}

/** Whether the operation files a change request instead of applying: always, or above the cap. */
export function needsApproval(
  definition: Pick<OperationDefinition, 'approval'>,
  body: OperationRequestBody,
  capCents?: number,
): boolean {
  if (definition.approval === 'always') return true;
  if (definition.approval !== 'above-cap') return false;
  const amount = body.amountCents;
  // Without a known cap the server decides; the preview says nothing it cannot stand behind.
  return capCents !== undefined && typeof amount === 'number' && amount > capCents;
}

/**
 * What the preview says will happen, and the label of its button: an operation that needs a
 * second person says so plainly, so nobody expects a credit above their cap to land at once.
 */
export function confirmStep(
  definition: Pick<OperationDefinition, 'approval'>,
  body: OperationRequestBody,
  capCents?: number,
): { hint: string; button: string } {
  if (!needsApproval(definition, body, capCents)) {
    return { hint: approvalHint(definition, capCents), button: 'Confirm' };
  }
  const hint =
    definition.approval === 'above-cap' && capCents !== undefined
      ? `${formatCents(body.amountCents)} is above your cap of ${formatCents(capCents)}: this will be sent to a second person for approval, and nothing changes until they approve it.`
      : 'This will be sent to a second person for approval, and nothing changes until they approve it.';
  return { hint, button: 'Request approval' };
}

/**
 * Why an operation's button is disabled on an account in `status`, from the catalogue's allowed
 * statuses ("Only for active accounts"); undefined when the operation fits the account.
 */
export function disabledReason(
  definition: Pick<OperationDefinition, 'allowedStatuses'>,
  status: string,
): string | undefined {
  const allowed = definition.allowedStatuses as readonly string[];
  if (allowed.includes(status)) return undefined;
  const last = allowed.length - 1;
  const list = last > 0 ? `${allowed.slice(0, last).join(', ')} or ${allowed[last]}` : allowed[0];
  return list ? `Only for ${list} accounts` : 'Not available for any account';
}

/**
 * What the preview says when the operation changes no account field: what it does instead (the
 * dry run's diff is empty for a note), so the reader knows what Confirm will do. Revoking sessions
 * has a diff: the sessions it ends.
 */
export function emptyPreview(
  definition: Pick<OperationDefinition, 'name'>,
  body: OperationRequestBody,
): string {
  switch (definition.name) {
    case 'add-note':
      return typeof body.body === 'string' && body.body !== ''
        ? `Adds this note to the account: "${body.body}"`
        : 'Adds a note to the account.';
    default:
      return 'This operation changes no account field.';
  }
}

/**
 * Whether a failed request was the API's stale-version refusal (409, "the account changed since
 * you loaded it"): the account moved on, so the body sent must not be sent again. Other 409s (an
 * operation that no longer fits the account's status) are not retried with a new version.
 */
export function isStaleVersion(error: unknown, status: number | undefined): boolean {
  return status === 409 && error instanceof Error && /changed since you loaded it/.test(error.message);
}
