import { ForbiddenException, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AuditAction,
  REVEAL_PERMISSIONS,
  type RevealableField,
  type RevealResponse,
} from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import { DataSource, MoreThan } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { accountNotFound } from '../accounts/account.sql';
import { AuditService, requestFacts } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import type { RevealDto } from './dto/reveal.dto';
import { RevealGrantEntity } from './reveal-grant.entity';

export class TooManyRevealsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('too many reveals in the last hour; ask a colleague or try later', HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Reveal-by-reason. Must stay true: every reveal and every refused one is an audit event; a grant
 * covers one person, one account, one field, for a limited time; nobody reveals more than the hourly
 * limit, so nobody pages through customers' private data one reveal at a time.
 */
@Injectable()
export class RevealService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async reveal(
    req: FastifyRequest,
    principal: Principal,
    accountId: string,
    dto: RevealDto,
  ): Promise<RevealResponse> {
    const facts = requestFacts(req, principal);
    const fields = dto.fields as RevealableField[];
    const account = await this.dataSource.getRepository(AccountEntity).findOneBy({ id: accountId });
    if (!account) throw accountNotFound(accountId);
    const event = {
      ...facts,
      action: AuditAction.AccountReveal,
      target: { type: 'account', id: accountId },
      reason: dto.reason,
      ticket: dto.ticket ?? null,
    };

    const refused = fields.filter((f) => !principal.permissions.includes(REVEAL_PERMISSIONS[f]));
    if (refused.length) {
      await this.audit.record({ ...event, outcome: 'denied', details: { fields, refused } });
      req.auditRecorded = true;
      throw new ForbiddenException(`you may not reveal: ${refused.join(', ')}`);
    }

    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.reveal.minutes * 60_000);
    const granted = await this.dataSource.transaction(async (m) => {
      // One person's reveals are counted and granted one at a time: counted apart from the grant,
      // reveals sent at once each counted none of the others and all went past the limit.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('reveal_grant'), hashtext($1))`, [
        principal.staffId,
      ]);
      const recent = await m.getRepository(RevealGrantEntity).count({
        where: { staffId: principal.staffId, createdAt: MoreThan(new Date(Date.now() - 3_600_000)) },
      });
      if (recent + fields.length > this.config.reveal.perHour) return false;
      await m.insert(
        RevealGrantEntity,
        fields.map((field) => ({
          staffId: principal.staffId,
          accountId,
          field,
          reason: dto.reason,
          ticket: dto.ticket ?? null,
          createdAt: now,
          expiresAt,
        })),
      );
      // Last in the transaction: the chain lock is held only for the insert itself.
      await this.audit.record(
        { ...event, outcome: 'success', details: { fields, expiresAt: expiresAt.toISOString() } },
        m,
      );
      return true;
    });
    if (!granted) {
      await this.audit.record({
        ...event,
        outcome: 'denied',
        details: { fields, limit: this.config.reveal.perHour },
      });
      throw new TooManyRevealsException(3600);
    }

    const clear: Record<RevealableField, unknown> = {
      email: account.email,
      phone: account.phone,
      dateOfBirth: account.dateOfBirth,
      address: {
        street: account.addressStreet,
        city: account.addressCity,
        postalCode: account.addressPostalCode,
        country: account.addressCountry,
      },
      conversations: true,
    };
    return {
      values: Object.fromEntries(fields.map((f) => [f, clear[f]])),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * The fields each of these accounts has revealed to this person right now. Most people hold no
   * live grant at a given moment: the guard read when their latest one expires, so for them this
   * costs no query.
   */
  async liveGrants(
    principal: Pick<Principal, 'staffId' | 'revealGrantsUntil'>,
    accountIds: string[],
  ): Promise<Map<string, Set<RevealableField>>> {
    const grants = new Map<string, Set<RevealableField>>();
    const now = new Date();
    if (accountIds.length === 0) return grants;
    const until = principal.revealGrantsUntil;
    if (until === null || (until !== undefined && until < now)) return grants;
    const rows: Array<{ accountId: string; field: RevealableField }> = await this.dataSource.query(
      `SELECT account_id AS "accountId", field FROM reveal_grant
        WHERE staff_id = $1 AND account_id = ANY($2::uuid[]) AND expires_at > $3`,
      [principal.staffId, accountIds, now],
    );
    for (const row of rows) {
      if (!grants.has(row.accountId)) grants.set(row.accountId, new Set());
      grants.get(row.accountId)!.add(row.field);
    }
    return grants;
  }
}
