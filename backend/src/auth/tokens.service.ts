import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isPermission, TOKEN_MAX_DAYS, type Permission } from '@custodian/shared';
import { hash, randomBytes } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { AuditService, type AuditInput } from '../audit/audit.service';
import { AuthCache } from './auth-cache';
import type { Principal } from './principal';
import { PersonalAccessTokenEntity } from './token.entity';
import { findLiveToken, type RequestPerson, type RequestToken } from './request-person';

/**
 * Personal access tokens: for the scripts that used to run under a shared login. Must stay true:
 * the value is shown once and only its SHA-256 is stored; a token never carries more than its
 * owner's current permissions; a deactivated owner's tokens stop working at once (the guard
 * checks the owner on every request, through AuthCache).
 */
export const TOKEN_PREFIX = 'cst_';

/** One-shot hashing: every token request hashes its token, and a Hash object per call costs more. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(PersonalAccessTokenEntity)
    private readonly tokens: Repository<PersonalAccessTokenEntity>,
    private readonly audit: AuditService,
    private readonly cache: AuthCache,
  ) {}

  async create(
    owner: Principal,
    name: string,
    expiresInDays: number,
    permissions: string[] | undefined,
    event: AuditInput,
  ) {
    if (expiresInDays < 1 || expiresInDays > TOKEN_MAX_DAYS) {
      throw new BadRequestException(`expiresInDays must be between 1 and ${TOKEN_MAX_DAYS}`);
    }
    const requested = permissions ?? owner.permissions;
    const unknown = requested.filter((p) => !isPermission(p));
    if (unknown.length)
      throw new BadRequestException(`permissions has unknown entries: ${unknown.join(', ')}`);
    const beyond = requested.filter((p) => !owner.permissions.includes(p as Permission));
    if (beyond.length) {
      throw new ForbiddenException(`a token cannot carry permissions you do not hold: ${beyond.join(', ')}`);
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + expiresInDays * 86_400_000);
    const saved = await this.tokens.manager.transaction(async (m) => {
      const created = await m.save(
        m.create(PersonalAccessTokenEntity, {
          staffId: owner.staffId,
          name,
          tokenHash: hashToken(token),
          permissions: [...new Set(requested)].sort(),
          expiresAt,
          createdAt: new Date(),
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await this.audit.record(
        {
          ...event,
          target: { type: 'token', id: created.id },
          details: { name, permissions: created.permissions },
        },
        m,
      );
      return created;
    });
    return { entity: saved, token };
  }

  list(staffId: string): Promise<PersonalAccessTokenEntity[]> {
    return this.tokens.find({ where: { staffId }, order: { createdAt: 'DESC' } });
  }

  async revoke(staffId: string, id: string, event: AuditInput): Promise<void> {
    await this.tokens.manager.transaction(async (m) => {
      const result = await m.update(
        PersonalAccessTokenEntity,
        { id, staffId, revokedAt: IsNull() },
        { revokedAt: new Date() },
      );
      if (!result.affected) throw new NotFoundException(`token ${id} does not exist or is already revoked`);
      await this.audit.record(event, m);
    });
  }

  /**
   * The live token with this value and its active owner, in one query (this runs on every
   * token-authenticated request), or null: unknown, expired, revoked, or the owner deactivated.
   */
  async findLive(token: string): Promise<{ token: RequestToken; owner: RequestPerson } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashToken(token);
    const live = await this.cache.remember(`token:${hash}`, () =>
      findLiveToken(this.tokens.manager.connection, hash),
    );
    // The query left out expired tokens; a remembered one may have expired since.
    return live && live.token.expiresAt > new Date() ? live : null;
  }

  async touch(id: string): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: new Date() });
  }
}
