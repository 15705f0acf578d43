import { Permission } from '@custodian/shared';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { hashToken, TOKEN_PREFIX } from '../auth/tokens.service';

export const BENCH_STAFF_EMAIL = 'benchmark@custodian.invalid';

export interface BenchIdentity {
  /** A personal access token with account.read only, for `Authorization: Bearer`. */
  token: string;
  /** The token's id: what the audit log names as the actor of the token's requests. */
  tokenId: string;
  revoke(): Promise<void>;
}

/**
 * The benchmark signs in as its own staff member (support role), with a personal access token
 * that can only read accounts and expires within a day; `revoke()` ends it when the run is over.
 * Written straight to the benchmark database: it runs before the API is up.
 */
export async function createBenchIdentity(dataSource: DataSource): Promise<BenchIdentity> {
  const [person]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO staff (email, display_name, roles)
     VALUES ($1, 'Benchmark', $2)
     ON CONFLICT (email) DO UPDATE SET roles = EXCLUDED.roles, active = true, deactivated_at = NULL
     RETURNING id`,
    [BENCH_STAFF_EMAIL, ['support']],
  );
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const [created]: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO personal_access_token (staff_id, name, token_hash, permissions, expires_at)
     VALUES ($1, 'benchmark', $2, $3, now() + interval '1 day')
     RETURNING id`,
    [person!.id, hashToken(token), [Permission.AccountRead]],
  );
  return {
    token,
    tokenId: created!.id,
    async revoke() {
      await dataSource.query(`UPDATE personal_access_token SET revoked_at = now() WHERE id = $1`, [
        created!.id,
      ]);
    },
  };
}
