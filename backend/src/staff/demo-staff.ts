import { hash } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';

/** The demo staff of API.md: one per role (two admins, so a role grant can get a second opinion). */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_STAFF = [
  { email: 'support@demo.test', displayName: 'Sam Support', roles: ['support'] },
  { email: 'engineer@demo.test', displayName: 'Erin Engineer', roles: ['engineer'] },
  { email: 'supervisor@demo.test', displayName: 'Sasha Supervisor', roles: ['supervisor'] },
  { email: 'auditor@demo.test', displayName: 'Avery Auditor', roles: ['auditor'] },
  { email: 'admin@demo.test', displayName: 'Adrian Admin', roles: ['admin'] },
  { email: 'admin2@demo.test', displayName: 'Alex Admin', roles: ['admin'] },
] as const;

/** Inserts the demo staff that are missing; they are marked, so production can refuse them. */
export async function seedDemoStaff(dataSource: DataSource): Promise<number> {
  const passwordHash = await hash(DEMO_PASSWORD, {
    algorithm: 2,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  });
  let added = 0;
  for (const person of DEMO_STAFF) {
    const rows: unknown[] = await dataSource.query(
      `INSERT INTO staff (email, display_name, password_hash, roles, is_demo)
       VALUES ($1, $2, $3, $4, true) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [person.email, person.displayName, passwordHash, person.roles],
    );
    added += rows.length;
  }
  return added;
}

export async function countActiveDemoStaff(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM staff WHERE is_demo AND active`);
  return (row as { n: number }).n;
}
