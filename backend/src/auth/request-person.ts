import type { DataSource } from 'typeorm';
import { namedQuery } from '../database/named-query';

/**
 * The person behind a request, read in one round trip with what the read paths need to know about
 * them: a request reads the person unless AuthCache holds them (a deactivation or role change
 * empties it), so this query is on the hot path and stays a single indexed lookup.
 */
export interface RequestPerson {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  mfaEnabled: boolean;
  /** The latest expiry among the person's live reveal grants; null when they hold none. */
  revealGrantsUntil: Date | null;
}

export interface RequestToken {
  id: string;
  permissions: string[];
  lastUsedAt: Date | null;
  expiresAt: Date;
}

const PERSON_COLUMNS = `
  s.id, s.email, s.display_name AS "displayName", s.roles, s.mfa_enabled AS "mfaEnabled",
  (SELECT max(g.expires_at) FROM reveal_grant g
    WHERE g.staff_id = s.id AND g.expires_at > now()) AS "revealGrantsUntil"`;

/** An active person by id (a session's staff id); null when unknown or deactivated. */
export async function findActivePerson(dataSource: DataSource, id: string): Promise<RequestPerson | null> {
  const rows = await namedQuery<RequestPerson>(
    dataSource,
    `SELECT ${PERSON_COLUMNS} FROM staff s WHERE s.id = $1 AND s.active`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * A live token (not revoked, not expired) by the SHA-256 of its value, with its active owner;
 * null when there is no such token or its owner is deactivated.
 */
export async function findLiveToken(
  dataSource: DataSource,
  tokenHash: string,
): Promise<{ token: RequestToken; owner: RequestPerson } | null> {
  const rows = await namedQuery<
    RequestPerson & {
      tokenId: string;
      tokenPermissions: string[];
      tokenLastUsedAt: Date | null;
      tokenExpiresAt: Date;
    }
  >(
    dataSource,
    `SELECT t.id AS "tokenId", t.permissions AS "tokenPermissions", t.last_used_at AS "tokenLastUsedAt",
            t.expires_at AS "tokenExpiresAt", ${PERSON_COLUMNS}
       FROM personal_access_token t
       JOIN staff s ON s.id = t.staff_id AND s.active
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now()`,
    [tokenHash],
  );
  const row = rows[0];
  if (!row) return null;
  const { tokenId, tokenPermissions, tokenLastUsedAt, tokenExpiresAt, ...owner } = row;
  return {
    token: {
      id: tokenId,
      permissions: tokenPermissions,
      lastUsedAt: tokenLastUsedAt,
      expiresAt: tokenExpiresAt,
    },
    owner,
  };
}
