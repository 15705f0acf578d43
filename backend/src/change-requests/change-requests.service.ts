import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AuditAction,
  CHANGE_REQUEST_RULES,
  changeRequestKindsReadBy,
  isChangeRequestKind,
  isOperationName,
  operationAuditAction,
  type ChangeRequestStatus,
  type Page,
} from '@custodian/shared';
import { grantBlocker, StaffService } from '../staff/staff.service';
import { StaffEntity } from '../staff/staff.entity';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AuditService, type AuditInput } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { describeDatabaseError, refusalOn } from '../common/all-exceptions.filter';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import type { OperationBodyDto } from '../operations/dto/operation-bodies';
import { planOperation, type OperationPlan } from '../operations/operation-plan';
import { BulkItemEntity } from '../operations/bulk-item.entity';
import { BulkOperationsService } from '../operations/bulk-operations.service';
import { OperationsService, paramsOf } from '../operations/operations.service';
import {
  alreadyWaiting,
  ChangeRequestEntity,
  decisionDetails,
  identicalPending,
  lockRequestsOn,
  newChangeRequest,
  rejectionEvent,
} from './change-request.entity';
import type { BulkRequestItem } from './change-request.mapper';
import { ownRequestsOf, seesRequest } from './own-requests';
import { payloadHash } from './payload-hash';

type EventBase = Omit<AuditInput, 'action' | 'outcome'>;

const SORT = 'created_at:desc';

/** Why the waiting accounts of a bulk request in this state will never run. */
const NEVER_RUNS: Partial<Record<ChangeRequestStatus, string>> = {
  rejected: 'the request was rejected',
  expired: 'the request expired before anyone approved it',
};

/**
 * Four-eyes change requests. Must stay true: the requester never decides their own request; of two
 * approvers at once exactly one wins (the pending → approved claim is one conditional UPDATE);
 * approval runs exactly the stored payload, and fails with 409 if the account moved on meanwhile.
 */
@Injectable()
export class ChangeRequestsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly operations: OperationsService,
    private readonly staff: StaffService,
    private readonly bulk: BulkOperationsService,
  ) {}

  async create(
    principal: Principal,
    accountId: string,
    body: OperationBodyDto,
    plan: OperationPlan,
    event: EventBase,
  ): Promise<ChangeRequestEntity> {
    const params = paramsOf(body);
    const payload = {
      operation: plan.operation,
      targetId: accountId,
      params,
      expectedVersion: body.expectedVersion,
      changes: plan.changes,
    };
    const filed = newChangeRequest(
      {
        operation: plan.operation,
        targetType: 'account',
        targetId: accountId,
        params,
        changes: plan.changes,
        expectedVersion: body.expectedVersion,
        payloadHash: payloadHash(payload),
        requestedBy: principal.staffId,
        requestedByEmail: principal.email,
        reason: body.reason,
        ticket: body.ticket ?? null,
      },
      this.config.changeRequestHours,
    );
    return this.dataSource.transaction(async (m) => {
      // The same change filed twice would wait twice, and the second approval could only fail.
      await lockRequestsOn(m, accountId);
      const existing = await identicalPending(m, filed);
      if (existing) throw alreadyWaiting(existing);
      const request = await m.save(filed);
      await this.audit.record(
        {
          ...event,
          action: operationAuditAction(plan.operation),
          outcome: 'pending',
          target: { type: 'account', id: accountId },
          reason: body.reason,
          ticket: body.ticket ?? null,
          changes: plan.changes,
          details: { changeRequestId: request.id },
        },
        m,
      );
      return request;
    });
  }

  /**
   * Which requests a person may see, as a WHERE condition on alias `c`: the kinds their
   * permissions review (shared CHANGE_REQUEST_RULES), and what they filed themselves (through a
   * token, only what it could have filed: own-requests.ts). Anything else is not there for them:
   * absent from lists, a 404 on its own.
   */
  private visibleTo(principal: Principal): { where: string; params: Record<string, unknown> } {
    const kinds = changeRequestKindsReadBy(principal.permissions);
    const own = ownRequestsOf(principal);
    return {
      where: kinds.length ? `(c.target_type IN (:...kinds) OR ${own.where})` : own.where,
      params: { kinds, ...own.params },
    };
  }

  async list(
    principal: Principal,
    {
      status,
      mine,
      limit,
      cursor,
    }: { status?: ChangeRequestStatus; mine: boolean; limit: number; cursor?: string },
  ): Promise<Page<ChangeRequestEntity>> {
    await this.expireDue();
    const qb = this.dataSource
      .getRepository(ChangeRequestEntity)
      .createQueryBuilder('c')
      .addSelect('c.created_at::text', 'sort_key')
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    const visible = this.visibleTo(principal);
    qb.andWhere(visible.where, visible.params);
    // Their own of those they see (a token's own requests outside its scope stay out).
    if (mine) qb.andWhere('c.requested_by = :viewer', { viewer: principal.staffId });
    if (status) qb.andWhere('c.status = :status', { status });
    if (cursor) {
      const c = decodeCursor(cursor, SORT);
      qb.andWhere('(c.created_at, c.id) < (CAST(:v AS timestamptz), CAST(:id AS uuid))', {
        v: c.value,
        id: c.id,
      });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const hasMore = entities.length > limit;
    const data = hasMore ? entities.slice(0, limit) : entities;
    const last = data.length - 1;
    return {
      data,
      nextCursor: hasMore
        ? encodeCursor({ sort: SORT, value: raw[last]!.sort_key, id: data[last]!.id })
        : null,
    };
  }

  async get(principal: Principal, id: string): Promise<ChangeRequestEntity> {
    await this.expireDue();
    const request = await this.dataSource.getRepository(ChangeRequestEntity).findOneBy({ id });
    if (!request || !seesRequest(principal, request)) {
      throw new NotFoundException(`change request ${id} does not exist`);
    }
    return request;
  }

  /**
   * Why each pending request that can no longer apply would fail if approved, by request id (the
   * account moved past the version its diff was made on; the person of a role grant was
   * deactivated or their roles changed): readers see it before anyone approves. Requests that
   * can still apply, that are decided, or that are bulk (each account says so itself) are absent.
   */
  async blockers(requests: ChangeRequestEntity[]): Promise<Map<string, string>> {
    const pending = requests.filter((r) => r.status === 'pending');
    const ids = (type: string) => [
      ...new Set(pending.filter((r) => r.targetType === type).map((r) => r.targetId)),
    ];
    const accountIds = ids('account');
    const staffIds = ids('staff');
    const accounts = new Map(
      accountIds.length
        ? (
            await this.dataSource
              .getRepository(AccountEntity)
              .find({ select: { id: true, version: true }, where: { id: In(accountIds) } })
          ).map((a) => [a.id, a])
        : [],
    );
    const people = new Map(
      staffIds.length
        ? (await this.dataSource.getRepository(StaffEntity).findBy({ id: In(staffIds) })).map((p) => [
            p.id,
            p,
          ])
        : [],
    );
    const blockers = new Map<string, string>();
    for (const r of pending) {
      const why =
        r.targetType === 'account'
          ? accountBlocker(r, accounts.get(r.targetId))
          : r.targetType === 'staff'
            ? grantBlocker(people.get(r.targetId), r)
            : undefined;
      if (why) blockers.set(r.id, why);
    }
    return blockers;
  }

  /**
   * Each account of a bulk request with its diff, planned again from the account as it is now and
   * not stored: while an item waits, that is exactly what approving runs, because the runner plans
   * it the same way and refuses an account whose version moved on (shown here as a skip). An item
   * that has run says how it ended; what it changed is in that account's audit events. A request
   * that was rejected or expired runs nothing, so its items show no diff, only that.
   */
  async bulkItems(request: ChangeRequestEntity): Promise<BulkRequestItem[]> {
    if (request.targetType !== 'bulk' || !isOperationName(request.operation)) return [];
    const operation = request.operation;
    const items = await this.dataSource
      .getRepository(BulkItemEntity)
      .find({ where: { requestId: request.id }, order: { accountId: 'ASC' } });
    const neverRuns = NEVER_RUNS[request.status];
    if (neverRuns) {
      return items.map(({ accountId, status, detail }) => {
        const skip = status === 'pending' ? neverRuns : detail;
        return { accountId, status, ...(skip ? { skip } : {}) };
      });
    }
    const accounts = new Map<string, AccountEntity>();
    const waiting = items.filter((i) => i.status === 'pending').map((i) => i.accountId);
    for (let i = 0; i < waiting.length; i += 1000) {
      const found = await this.dataSource
        .getRepository(AccountEntity)
        .findBy({ id: In(waiting.slice(i, i + 1000)) });
      for (const a of found) accounts.set(a.id, a);
    }
    return items.map(({ accountId, status, detail, expectedVersion }) => {
      if (status !== 'pending') return { accountId, status, ...(detail ? { skip: detail } : {}) };
      const account = accounts.get(accountId);
      if (!account || account.version !== expectedVersion) {
        return { accountId, status, skip: 'the account changed since the bulk operation was requested' };
      }
      try {
        return { accountId, status, changes: planOperation(operation, account, request.params).changes };
      } catch (error) {
        if (error instanceof ConflictException) return { accountId, status, skip: error.message };
        throw error;
      }
    });
  }

  async approve(principal: Principal, id: string, comment: string | undefined, event: EventBase) {
    const request = await this.decidable(principal, id);
    if (request.targetType === 'staff') return this.approveGrant(principal, request, comment, event);
    if (request.targetType === 'bulk') return this.approveBulk(principal, request, comment, event);
    return this.failingOnConflict(principal, id, comment, event, () =>
      this.dataSource.transaction(async (m) => {
        await this.recordApproval(m, principal, request, comment, event);
        if (!isOperationName(request.operation)) throw new ConflictException('unknown operation');
        // Locked, so that the version checked is the one the change is written on (a write in
        // between would fail the request with the operations' words for a caller, not a reviewer).
        const account = await m
          .getRepository(AccountEntity)
          .findOne({ where: { id: request.targetId }, lock: { mode: 'pessimistic_write' } });
        const blocker = accountBlocker(request, account);
        if (blocker || !account) throw new ConflictException(blocker);
        // Re-plan from the stored payload and check it still hashes to what was approved.
        const plan = planOperation(request.operation, account, request.params);
        const hash = payloadHash({
          operation: request.operation,
          targetId: request.targetId,
          params: request.params,
          expectedVersion: request.expectedVersion,
          changes: plan.changes,
        });
        if (hash !== request.payloadHash)
          throw new ConflictException('the change no longer matches what was requested');
        const applied = await this.operations.apply(
          m,
          request.targetId,
          request.expectedVersion,
          plan,
          request.requestedBy,
          request.requestedByEmail,
          {
            ...event,
            action: operationAuditAction(request.operation),
            outcome: 'success',
            reason: request.reason,
            ticket: request.ticket,
            details: { changeRequestId: id, requestedBy: request.requestedByEmail },
          },
        );
        await m.update(ChangeRequestEntity, { id }, { status: 'applied' });
        return { status: 'applied' as const, ...applied, changeRequestId: id };
      }),
    );
  }

  /** Claims a pending request for approval and records the approval, in the caller's transaction. */
  private async recordApproval(
    m: EntityManager,
    principal: Principal,
    request: ChangeRequestEntity,
    comment: string | undefined,
    event: EventBase,
  ): Promise<void> {
    await this.claim(m, principal, request.id, 'approved', comment);
    await this.audit.record(
      {
        ...event,
        action: AuditAction.ChangeRequestApprove,
        outcome: 'success',
        target: { type: 'change_request', id: request.id },
        reason: comment ?? null,
        changes: request.changes,
        details: decisionDetails(request),
      },
      m,
    );
  }

  /**
   * Runs an approval; a conflict it meets marks the request failed, with an event: the target
   * moved on, or the database refused the change (a unique value another record holds, a
   * concurrent write), which approving again would only meet again. The database's refusal is
   * answered in our words, which quote no value.
   */
  private async failingOnConflict<T>(
    principal: Principal,
    id: string,
    comment: string | undefined,
    event: EventBase,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const conflict = asConflict(error);
      if (conflict && !(error as { claimLost?: boolean }).claimLost) {
        await this.fail(principal, id, conflict.message, comment, event);
        throw conflict;
      }
      throw error;
    }
  }

  /** A bulk operation: approval starts it; it runs in batches in the background (see its progress). */
  private async approveBulk(
    principal: Principal,
    request: ChangeRequestEntity,
    comment: string | undefined,
    event: EventBase,
  ) {
    const id = request.id;
    await this.dataSource.transaction((m) => this.recordApproval(m, principal, request, comment, event));
    void this.bulk.start(id);
    return { status: 'approved' as const, changeRequestId: id, bulk: true as const };
  }

  /** A role grant: a second admin approves; it applies only to the roles it was requested against. */
  private async approveGrant(
    principal: Principal,
    request: ChangeRequestEntity,
    comment: string | undefined,
    event: EventBase,
  ) {
    const id = request.id;
    return this.failingOnConflict(principal, id, comment, event, () =>
      this.dataSource.transaction(async (m) => {
        await this.recordApproval(m, principal, request, comment, event);
        const person = await this.staff.applyGrant(m, request, {
          ...event,
          action: AuditAction.StaffUpdate,
          outcome: 'success',
          details: { changeRequestId: id },
        });
        await m.update(ChangeRequestEntity, { id }, { status: 'applied' });
        return { status: 'applied' as const, changeRequestId: id, staff: person };
      }),
    );
  }

  async reject(
    principal: Principal,
    id: string,
    comment: string,
    event: EventBase,
  ): Promise<ChangeRequestEntity> {
    const request = await this.decidable(principal, id);
    return this.dataSource.transaction(async (m) => {
      await this.claim(m, principal, id, 'rejected', comment);
      await this.audit.record(rejectionEvent(event, id, request, comment), m);
      return m.getRepository(ChangeRequestEntity).findOneByOrFail({ id });
    });
  }

  private async decidable(principal: Principal, id: string): Promise<ChangeRequestEntity> {
    const request = await this.get(principal, id);
    // Each refusal's access.denied event names the request it refused a decision on.
    const refused = (message: string) =>
      refusalOn(new ForbiddenException(message), { type: 'change_request', id });
    // A kind the shared rules do not name has no decider: fail closed. (A requester who sees their
    // own request but does not review its kind is refused by the permission check below.)
    if (!isChangeRequestKind(request.targetType)) throw refused('this request cannot be decided');
    const needed = CHANGE_REQUEST_RULES[request.targetType].decide;
    if (!principal.permissions.includes(needed)) throw refused(`this needs the ${needed} permission`);
    if (request.targetType === 'staff' && request.targetId === principal.staffId) {
      throw refused('you cannot approve a role grant for yourself');
    }
    if (request.requestedBy === principal.staffId) {
      throw refused('you cannot decide your own change request; a second person must');
    }
    if (request.status !== 'pending')
      throw new ConflictException(`this change request is already ${request.status}`);
    return request;
  }

  /** pending → decided, as one conditional UPDATE: of two deciders at once, exactly one gets it. */
  private async claim(
    m: EntityManager,
    principal: Principal,
    id: string,
    status: 'approved' | 'rejected',
    comment?: string,
  ) {
    const result = await m
      .createQueryBuilder()
      .update(ChangeRequestEntity)
      .set({
        status,
        decidedBy: principal.staffId,
        decidedByEmail: principal.email,
        decidedAt: new Date(),
        comment: comment ?? null,
      })
      .where(`id = :id AND status = 'pending' AND expires_at > now()`, { id })
      .execute();
    if (result.affected !== 1) {
      throw Object.assign(new ConflictException('this change request was already decided or has expired'), {
        claimLost: true,
      });
    }
  }

  /**
   * Marks a request whose approval met a conflict failed. The approval's own writes rolled back
   * with the change, so the decision (who, when, their comment) is recorded again here: a failed
   * approval is still a decision someone took, and its reader must see whose and why.
   */
  private async fail(
    principal: Principal,
    id: string,
    why: string,
    comment: string | undefined,
    event: EventBase,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const result = await m.update(
        ChangeRequestEntity,
        { id, status: 'pending' },
        {
          status: 'failed',
          failure: why,
          decidedBy: principal.staffId,
          decidedByEmail: principal.email,
          decidedAt: new Date(),
          comment: comment ?? null,
        },
      );
      if (!result.affected) return;
      await this.audit.record(
        {
          ...event,
          action: AuditAction.ChangeRequestApprove,
          outcome: 'error',
          target: { type: 'change_request', id },
          reason: comment ?? null,
          details: { failure: why },
        },
        m,
      );
    });
  }

  /** Requests past their time expire, each with an event by the system. */
  private async expireDue(): Promise<void> {
    const due = await this.dataSource
      .getRepository(ChangeRequestEntity)
      .createQueryBuilder('c')
      .where(`c.status = 'pending' AND c.expires_at <= now()`)
      .getMany();
    for (const request of due) {
      await this.dataSource.transaction(async (m) => {
        const result = await m.update(
          ChangeRequestEntity,
          { id: request.id, status: 'pending' },
          { status: 'expired' },
        );
        if (!result.affected) return;
        await this.audit.record(
          {
            actor: { type: 'system', id: null, email: null, roles: [] },
            action: AuditAction.ChangeRequestExpire,
            outcome: 'success',
            target: { type: 'change_request', id: request.id },
          },
          m,
        );
      });
    }
  }
}

/** A conflict an approval met, as a 409 in our words; undefined for anything else. */
function asConflict(error: unknown): ConflictException | undefined {
  if (error instanceof ConflictException) return error;
  const known = describeDatabaseError(error);
  return known?.statusCode === 409 ? new ConflictException(known.message) : undefined;
}

/**
 * Why an account request can no longer apply, or undefined while it can: approving checks the
 * account against the version the diff was made on, and so does every reader of the request.
 */
function accountBlocker(
  request: Pick<ChangeRequestEntity, 'expectedVersion'>,
  account: Pick<AccountEntity, 'version'> | null | undefined,
): string | undefined {
  if (!account) return 'the account no longer exists';
  if (account.version === request.expectedVersion) return undefined;
  return `the account changed since this was requested (it was at version ${request.expectedVersion}, it is now at ${account.version})`;
}
