import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '@custodian/shared';
import {
  approvalHint,
  buildOperationBody,
  confirmStep,
  disabledReason,
  emptyPreview,
  isStaleVersion,
  paramInputs,
  validateOperationReason,
} from './operationForm';

describe('paramInputs', () => {
  it('gives each parameter type its input', () => {
    expect(paramInputs(OPERATIONS['change-email']).map((i) => [i.name, i.kind])).toEqual([
      ['email', 'email'],
    ]);
    expect(paramInputs(OPERATIONS['change-phone'])[0]?.kind).toBe('tel');
    expect(paramInputs(OPERATIONS['issue-credit'])[0]).toMatchObject({
      name: 'amountCents',
      kind: 'number',
      min: 1,
      max: 10_000_000,
    });
    expect(paramInputs(OPERATIONS['add-note'])[0]?.kind).toBe('textarea');
    expect(paramInputs(OPERATIONS.suspend)).toEqual([]);
  });

  it('offers the plans of the catalogue as choices', () => {
    expect(paramInputs(OPERATIONS['change-plan'])[0]?.choices).toEqual([
      { id: 'free', name: 'Free' },
      { id: 'plus', name: 'Plus' },
      { id: 'pro', name: 'Pro' },
    ]);
  });

  it('validates values the way the API will', () => {
    const [email] = paramInputs(OPERATIONS['change-email']);
    expect(email?.validate('')).toMatch(/required/);
    expect(email?.validate('someone@')).toBeDefined();
    expect(email?.validate('someone@example.com')).toBeUndefined();
    // The masked address the page shows is well formed, and must not become the new one.
    expect(email?.validate('s***@example.com')).toMatch(/masked/);

    const [phone] = paramInputs(OPERATIONS['change-phone']);
    expect(phone?.validate('+49 151 1234-5678')).toBeUndefined();
    expect(phone?.validate('0151 12345678')).toBeDefined();

    const [plan] = paramInputs(OPERATIONS['change-plan']);
    expect(plan?.validate('pro')).toBeUndefined();
    expect(plan?.validate('gold')).toBeDefined();

    const [cents] = paramInputs(OPERATIONS['issue-credit']);
    expect(cents?.validate(2500)).toBeUndefined();
    expect(cents?.validate('12.5')).toMatch(/whole/);
    expect(cents?.validate(0)).toMatch(/At least/);
    expect(cents?.validate(10_000_001)).toMatch(/At most/);
  });
});

describe('buildOperationBody', () => {
  it('sends reason, ticket, version and exactly the typed parameters', () => {
    expect(
      buildOperationBody(
        OPERATIONS['issue-credit'],
        { reason: '  goodwill for outage ', ticket: ' SUP-1 ', amountCents: '2500', extra: 'dropped' },
        7,
      ),
    ).toEqual({ reason: 'goodwill for outage', ticket: 'SUP-1', expectedVersion: 7, amountCents: 2500 });
  });

  it('leaves out an empty ticket and cleans a phone number', () => {
    expect(
      buildOperationBody(
        OPERATIONS['change-phone'],
        { reason: 'customer asked', ticket: '  ', phone: '+49 (151) 123-45678' },
        2,
      ),
    ).toEqual({ reason: 'customer asked', expectedVersion: 2, phone: '+4915112345678' });
  });

  it('sends only reason and version for an operation without parameters', () => {
    expect(buildOperationBody(OPERATIONS.suspend, { reason: 'fraud report 42' }, 3)).toEqual({
      reason: 'fraud report 42',
      expectedVersion: 3,
    });
  });
});

describe('validateOperationReason and approvalHint', () => {
  it('needs a reason of ten characters', () => {
    expect(validateOperationReason('too short')).toBeDefined();
    expect(validateOperationReason('  long enough now ')).toBeUndefined();
  });

  it('counts only the characters a reader sees, as the API does', () => {
    expect(validateOperationReason('\u200B'.repeat(12))).toBeDefined();
    expect(validateOperationReason('\u202E'.repeat(12))).toBeDefined();
    expect(validateOperationReason('a\u200Bb\u200Bc\u200Bd\u200Be')).toBeDefined();
  });

  it('says when a change request is created', () => {
    expect(approvalHint(OPERATIONS['change-email'])).toMatch(/change request/);
    expect(approvalHint(OPERATIONS['issue-credit'], 5000)).toMatch(/cap of \$50\.00 /);
    expect(approvalHint(OPERATIONS['change-plan'])).toMatch(/at once/);
  });
});

describe('money in the cents validator', () => {
  it('says limits as money, not as a count of cents', () => {
    const [cents] = paramInputs(OPERATIONS['issue-credit']);
    expect(cents?.validate(10_000_001)).toBe('At most $100,000.00');
    expect(cents?.validate(0)).toBe('At least $0.01');
  });
});

describe('confirmStep', () => {
  const credit = (amountCents: number) => ({ reason: 'goodwill', expectedVersion: 1, amountCents });

  it('says a credit above the cap will be sent for approval', () => {
    const step = confirmStep(OPERATIONS['issue-credit'], credit(6_000), 5_000);
    expect(step.button).toBe('Request approval');
    expect(step.hint).toMatch(
      /\$60\.00 is above your cap of \$50\.00: this will be sent to a second person for approval/,
    );
  });

  it('keeps Confirm for a credit within the cap and for operations applied at once', () => {
    expect(confirmStep(OPERATIONS['issue-credit'], credit(5_000), 5_000).button).toBe('Confirm');
    expect(confirmStep(OPERATIONS.suspend, { reason: 'x', expectedVersion: 1 }).button).toBe('Confirm');
  });

  it('asks for approval for operations that always need it', () => {
    expect(confirmStep(OPERATIONS['change-email'], { reason: 'x', expectedVersion: 1 }).button).toBe(
      'Request approval',
    );
  });
});

describe('disabledReason', () => {
  it('names the statuses the catalogue allows', () => {
    expect(disabledReason(OPERATIONS.suspend, 'suspended')).toBe('Only for active accounts');
    expect(disabledReason(OPERATIONS.reactivate, 'active')).toBe('Only for suspended accounts');
    expect(disabledReason(OPERATIONS['issue-credit'], 'suspended')).toBe('Only for active accounts');
    expect(disabledReason(OPERATIONS['reset-mfa'], 'closed')).toBe('Only for active or suspended accounts');
    expect(disabledReason(OPERATIONS.suspend, 'active')).toBeUndefined();
  });
});

describe('emptyPreview', () => {
  it('repeats the note to be added', () => {
    expect(
      emptyPreview(OPERATIONS['add-note'], { reason: 'x', expectedVersion: 1, body: 'Called about refund' }),
    ).toBe('Adds this note to the account: "Called about refund"');
  });
});

describe('isStaleVersion', () => {
  it('tells the stale-version 409 from other refusals', () => {
    const stale = new Error(
      'the account changed since you loaded it (you had version 2, it is now 3); reload and try again',
    );
    expect(isStaleVersion(stale, 409)).toBe(true);
    expect(isStaleVersion(new Error('not allowed for a suspended account'), 409)).toBe(false);
    expect(isStaleVersion(stale, 400)).toBe(false);
  });
});
