import { hash } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { newStaff, StaffEntity } from '../../src/staff/staff.entity';

let counter = 0;
export const STAFF_PASSWORD = 'correct horse battery staple 42';
// Hashing is the slow part of building staff; every test person shares this one password.
let passwordHash: Promise<string> | undefined;

export async function createStaff(
  ds: DataSource,
  overrides: Partial<StaffEntity> & { roles: string[] },
): Promise<StaffEntity> {
  const n = ++counter;
  passwordHash ??= hash(STAFF_PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  return ds.getRepository(StaffEntity).save(
    newStaff({
      email: `${overrides.roles.join('-') || 'nobody'}-${n}-${process.pid}@staff.test`,
      displayName: `Test Person ${n}`,
      passwordHash: await passwordHash,
      ...overrides,
    }),
  );
}
