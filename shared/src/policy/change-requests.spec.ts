import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES, OPERATIONS } from '../operations/catalogue.js';
import {
  CHANGE_REQUEST_FILING_PERMISSIONS,
  CHANGE_REQUEST_KINDS,
  CHANGE_REQUEST_RULES,
  changeRequestKindsReadBy,
  decidesChangeRequests,
  filesChangeRequests,
} from './change-requests.js';
import { PERMISSIONS, Permission } from './permissions.js';
import { ROLE_PERMISSIONS, permissionsOf } from './roles.js';

describe('change request policy', () => {
  it('names only permissions of the catalogue', () => {
    for (const kind of CHANGE_REQUEST_KINDS) {
      expect(PERMISSIONS).toContain(CHANGE_REQUEST_RULES[kind].read);
      expect(PERMISSIONS).toContain(CHANGE_REQUEST_RULES[kind].decide);
    }
    for (const p of CHANGE_REQUEST_FILING_PERMISSIONS) expect(PERMISSIONS).toContain(p);
  });

  it('lets every operation that may wait for approval file a request, and no other', () => {
    for (const name of OPERATION_NAMES) {
      const { permission, approval } = OPERATIONS[name];
      expect(CHANGE_REQUEST_FILING_PERMISSIONS.includes(permission), name).toBe(approval !== 'never');
    }
  });

  it('keeps the reviewers of the design: supervisors account changes, admins and auditors role grants', () => {
    expect(changeRequestKindsReadBy(permissionsOf(['supervisor']))).toEqual(['account', 'bulk']);
    expect(changeRequestKindsReadBy(permissionsOf(['admin']))).toEqual(['staff']);
    expect(changeRequestKindsReadBy(permissionsOf(['auditor']))).toEqual(['staff']);
    expect(changeRequestKindsReadBy(permissionsOf(['support']))).toEqual([]);
    expect(changeRequestKindsReadBy(permissionsOf(['engineer']))).toEqual([]);
    expect(decidesChangeRequests(permissionsOf(['supervisor']))).toBe(true);
    expect(decidesChangeRequests(permissionsOf(['admin']))).toBe(true);
    expect(decidesChangeRequests(permissionsOf(['auditor']))).toBe(false);
    expect(decidesChangeRequests(permissionsOf(['engineer']))).toBe(false);
  });

  it('counts as requesters those who file: support (credits above cap), engineers, admins', () => {
    expect(filesChangeRequests(ROLE_PERMISSIONS.support)).toBe(true);
    expect(filesChangeRequests(ROLE_PERMISSIONS.engineer)).toBe(true);
    expect(filesChangeRequests(ROLE_PERMISSIONS.admin)).toBe(true);
    expect(filesChangeRequests(ROLE_PERMISSIONS.supervisor)).toBe(false);
    expect(filesChangeRequests(ROLE_PERMISSIONS.auditor)).toBe(false);
    expect(filesChangeRequests([Permission.AccountRead])).toBe(false);
  });
});
