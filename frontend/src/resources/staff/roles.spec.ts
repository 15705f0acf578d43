import { describe, expect, it } from 'vitest';
import { pendingGrantLines, roleChoicesFor, waitingRoles } from './roles';

const grant = {
  changeRequestId: 'cr-1',
  roles: ['auditor'],
  requestedBy: 'admin@demo.test',
  applicable: true,
};

describe('role choices of a person with a grant waiting', () => {
  it('marks the waiting role and disables it', () => {
    const auditor = roleChoicesFor([grant]).find((c) => c.id === 'auditor')!;
    expect(auditor.name).toMatch(/grant waits for a second admin/);
    expect(auditor.disabled).toBe(true);
    expect(roleChoicesFor([grant]).find((c) => c.id === 'support')!.disabled).toBe(false);
  });

  it('leaves a grant that can no longer apply free to be asked again', () => {
    expect(roleChoicesFor([{ ...grant, applicable: false }]).every((c) => !c.disabled)).toBe(true);
  });

  it('says who asked for what', () => {
    expect(pendingGrantLines([grant])).toEqual([
      'auditor: requested by admin@demo.test, waiting for a second admin',
    ]);
  });
});

describe('the roles that wait for a second admin, as the staff list shows them', () => {
  it('are the roles of the grants that can still apply, once each, in the catalogue order', () => {
    expect(
      waitingRoles([
        { ...grant, roles: ['supervisor', 'auditor'] },
        { ...grant, changeRequestId: 'cr-2', roles: ['auditor', 'engineer'] },
        { ...grant, changeRequestId: 'cr-3', roles: ['admin'], applicable: false },
      ]),
    ).toEqual(['engineer', 'supervisor', 'auditor']);
  });

  it('are none for a person with no grant waiting', () => {
    expect(waitingRoles(undefined)).toEqual([]);
    expect(waitingRoles([])).toEqual([]);
  });
});
