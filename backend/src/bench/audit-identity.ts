import { Permission, type Role } from '@custodian/shared';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, TOKEN_PREFIX } from '../auth/tokens.service';

export interface BenchPerson {
  staffId: string;
  email: string;
  /** A personal access token for `Authorization: Bearer`, valid for a day at most. */
  token: string;
  revoke(): Promise<void>;
}

/**
 * A staff member of the benchmark's own (an address no mail server answers) with a token scoped
 * to what one persona does: the auditor reads the log, the support agent adds notes. Written
 * straight to the database, like identity.ts, since it runs before the API is up.
 */
async function benchPerson(
  dataSource: DataSource,
  email: string,
  role: Role,
  permissions: Permission[],
): Promise<BenchPerson> {
  const [person]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO staff (email, display_name, roles)
     VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET roles = EXCLUDED.roles, active = true, deactivated_at = NULL
     RETURNING id`,
    [email, `Benchmark ${role}`, [role]],
  );
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [created]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO personal_access_token (staff_id, name, token_hash, permissions, expires_at)
     VALUES ($1, 'benchmark', $2, $3, now() + interval '1 day')
     RETURNING id`,
    [person!.id, hashToken(token), permissions],
  );
  return {
    staffId: person!.id,
    email,
    token,
    async revoke() {
      await dataSource.query(`UPDATE personal_access_token SET revoked_at = now() WHERE id = $1`, [
        created!.id,
      ]);
    },
  };
}

export function createBenchAuditor(dataSource: DataSource): Promise<BenchPerson> {
  return benchPerson(dataSource, 'benchmark-auditor@custodian.invalid', 'auditor', [
    Permission.AccountRead,
    Permission.AuditRead,
  ]);
}

export function createBenchSupportAgent(dataSource: DataSource): Promise<BenchPerson> {
  return benchPerson(dataSource, 'benchmark-support@custodian.invalid', 'support', [
    Permission.AccountRead,
    Permission.OperationAddNote,
  ]);
}
