import { describe, expect, it } from 'vitest';
import { pendingGrantLines, roleChoicesFor } from './roles';

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
