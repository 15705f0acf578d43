import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../operations/catalogue.js';
import {
  AUDIT_ACTION_PREFIXES,
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  AuditAction,
  auditActionDefinition,
  isAuditAction,
  isAuditActionFilter,
  operationAuditAction,
} from './catalogue.js';

describe('audit action catalogue', () => {
  it('lists each action once, and each named constant once', () => {
    const actions = AUDIT_ACTIONS.map((d) => d.action);
    expect(new Set(actions).size).toBe(actions.length);
    const named = Object.values(AuditAction);
    expect(new Set(named).size).toBe(named.length);
    for (const action of named) expect(actions).toContain(action);
  });

  it('has an action for every operation of the operation catalogue, on an account', () => {
    for (const name of OPERATION_NAMES) {
      const definition = auditActionDefinition(`account.operation.${name}`);
      expect(definition, name).toBeDefined();
      expect(definition!.action).toBe(operationAuditAction(name));
      expect(definition!.target).toBe('account');
    }
    const operationActions = AUDIT_ACTIONS.filter((d) => d.action.startsWith('account.operation.'));
    expect(operationActions).toHaveLength(OPERATION_NAMES.length);
  });

  it('names actions resource.verb, with a one-line description and a known target type', () => {
    for (const { action, description, target } of AUDIT_ACTIONS) {
      expect(action).toMatch(/^[a-z_]+(\.[a-z_-]+)+$/);
      expect(description.length, action).toBeGreaterThan(10);
      expect(description, action).not.toMatch(/\n/);
      if (target !== null) expect(AUDIT_TARGET_TYPES).toContain(target);
    }
  });

  it('types only catalogue actions as AuditAction (the typecheck fails when this stops being an error)', () => {
    // @ts-expect-error: a typo of auth.login is not an action of the catalogue
    const typo: AuditAction = 'auth.logn';
    // @ts-expect-error: nor is an operation the operation catalogue does not have
    const unknownOperation: AuditAction = 'account.operation.fly';
    const operation: AuditAction = 'account.operation.close';
    expect([typo, unknownOperation, operation].map(isAuditAction)).toEqual([false, false, true]);
  });

  it('holds the retention action for the retention command', () => {
    expect(auditActionDefinition(AuditAction.AuditRetention)?.description).toBe(
      'Old months archived to a verified bundle and removed',
    );
  });

  it('accepts as a filter an action or a prefix of actions ending in a dot, nothing else', () => {
    expect(AUDIT_ACTION_PREFIXES).toEqual(
      expect.arrayContaining(['account.', 'account.operation.', 'auth.', 'change_request.', 'staff.']),
    );
    for (const ok of ['auth.login', 'account.operation.change-plan', 'account.', 'account.operation.']) {
      expect(isAuditActionFilter(ok), ok).toBe(true);
    }
    for (const bad of ['auth.logn', 'account', 'acc', 'account.operation.fly', 'auth..', '', '.', 'a.', 42]) {
      expect(isAuditActionFilter(bad), String(bad)).toBe(false);
    }
    expect(isAuditAction('account.')).toBe(false);
  });
});
