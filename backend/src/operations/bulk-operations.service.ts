import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AuditAction,
  operationAuditAction,
  OPERATIONS,
  Permission,
  type OperationName,
} from '@custodian/shared';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AuditService, type AuditActor, type AuditInput } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { describeDatabaseError } from '../common/all-exceptions.filter';
import { ChangeRequestEntity, newChangeRequest } from '../change-requests/change-request.entity';
import { seesRequest } from '../change-requests/own-requests';
import { payloadHash } from '../change-requests/payload-hash';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { BulkItemEntity } from './bulk-item.entity';
import { claimBulkRun, claimHeldSql, type BulkRunClaim } from './bulk-run-claim';
import type { CreateBulkOperationDto } from './dto/bulk-operation.dto';
import { withSessions } from './operation-changes';
import { personalParams, PersonalValueMatch, planOperation, type Changes } from './operation-plan';
import { OperationsService, paramsOf } from './operations.service';

type EventBase = Omit<AuditInput, 'action' | 'outcome'>;
const BATCH = 500;

export interface BulkPreviewItem {
  accountId: string;
  changes?: Changes;
  skip?: string;
}

/**
 * Bulk operations: what used to be a Python script over a list of ids. Must stay true: a bulk
 * operation always needs a second person's approval; once approved it runs in batches, each
 * account's change with its own audit event in its batch's transaction, and it resumes after a
 * restart from the accounts still pending (each account's version is checked, so nothing runs twice).
 * One runner at a time works on a request: once per request in this process (`running`), and
 * across instances only under its claim (bulk-run-claim.ts), which ends with the runner. A request
 * whose runner ended without finishing it (its process died, or it lost its claim and could not
 * take it back) is taken over by the next sweep of any instance still running (`sweep`).
 */
@Injectable()
export class BulkOperationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BulkOperationsService.name);
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly operations: OperationsService,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    // Approved bulk operations that a restart interrupted carry on.
    void this.dataSource
      .getRepository(ChangeRequestEntity)
      .find({ where: { targetType: 'bulk', status: 'approved' } })
      .then((requests) => requests.forEach((r) => this.start(r.id)))
      .catch(() => undefined);
    const every = this.config.bulkSweepSeconds * 1000;
    if (every > 0 && !this.sweeper) {
      // One sweep at a time; a timer that keeps no process alive on its own.
      this.sweeper = setInterval(() => {
        this.sweeping ??= this.sweep()
          .catch((error: unknown) =>
            this.logger.warn(
              { err: errorFacts(error) },
              'bulk operation sweep failed; the next one tries again',
            ),
          )
          .finally(() => (this.sweeping = undefined));
      }, every).unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.sweeping;
    await Promise.allSettled(this.running.values());
  }

  /**
   * Starts the approved requests that no runner works on: those whose runner's process died, or
   * whose runner lost its claim with its connection and could not take it back, resume here
   * without waiting for a start; so does one whose runner died between its last batch and its
   * end (no account pending, not yet ended). Each goes through start(): one this process
   * runs already is joined, never run twice (on the embedded database, the only guard there is,
   * and the only one needed: no other process reaches it); one another instance's runner holds is
   * left to it by the claim. On a server, the requests whose claim some session holds are passed
   * over in the query itself, so that a sweep opens a connection outside the pool only for a
   * request it is about to run (or that another sweep takes first).
   */
  async sweep(): Promise<void> {
    const unheld = this.serverUrl() === undefined ? '' : `AND NOT ${claimHeldSql('r.id::text')}`;
    const rows = (await this.dataSource.query(
      `SELECT r.id FROM change_request r
        WHERE r.target_type = 'bulk' AND r.status = 'approved'
          ${unheld}
        ORDER BY r.created_at`,
    )) as { id: string }[];
    for (const { id } of rows) {
      if (this.stopping) return;
      void this.start(id);
    }
  }

  /** Validates, plans every account (dry run) and, unless dryRun, files the change request. */
  async create(principal: Principal, dto: CreateBulkOperationDto, dryRun: boolean, event: EventBase) {
    const operation = dto.operation as OperationName;
    const def = OPERATIONS[operation];
    // As for a single operation: the preview is a diff of each account's fields.
    for (const permission of [Permission.AccountRead, def.permission]) {
      if (!principal.permissions.includes(permission)) {
        throw new ForbiddenException(`this needs the ${permission} permission`);
      }
    }
    const body = await this.operations.parseBody(operation, {
      ...(dto.params ?? {}),
      reason: dto.reason,
      ticket: dto.ticket,
      expectedVersion: 1,
    });
    const params = paramsOf(body);
    // An email address belongs to one account: given to several, all but one would fail.
    if (operation === 'change-email' && dto.accountIds.length > 1) {
      throw new BadRequestException([
        'accountIds must name one account for change-email: an email address belongs to one account',
      ]);
    }
    const accounts = new Map<string, AccountEntity>();
    for (let i = 0; i < dto.accountIds.length; i += 1000) {
      const found = await this.dataSource
        .getRepository(AccountEntity)
        .findBy({ id: In(dto.accountIds.slice(i, i + 1000)) });
      for (const a of found) accounts.set(a.id, a);
    }
    let matches = 0;
    const items: (BulkPreviewItem & { version: number | null })[] = [];
    const revoking: BulkPreviewItem[] = [];
    for (const id of dto.accountIds) {
      const account = accounts.get(id);
      if (!account) {
        items.push({ accountId: id, skip: 'the account does not exist', version: null });
        continue;
      }
      try {
        const plan = planOperation(operation, account, params);
        if (plan.set.email !== undefined) await this.operations.assertEmailFree(plan.set.email, id);
        items.push({ accountId: id, changes: plan.changes, version: account.version });
        if (plan.revokeSessions) revoking.push(items.at(-1)!);
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
        if (error instanceof PersonalValueMatch) matches++;
        items.push({ accountId: id, skip: error.message, version: account.version });
      }
    }
    // Each account's diff says how many of its sessions the revocation would end, as a dry run does.
    for (let i = 0; i < revoking.length; i += 1000) {
      const chunk = revoking.slice(i, i + 1000);
      const live = await this.operations.liveSessions(chunk.map((item) => item.accountId));
      for (const item of chunk) item.changes = withSessions(item.changes!, live.get(item.accountId) ?? 0);
    }
    // Which accounts hold a given email or phone is an exact-match search (operations.service.ts).
    const lookup = personalParams(params);
    if (lookup) {
      await this.operations.recordLookup(event, lookup, {
        operation,
        dryRun,
        results: matches,
        accounts: dto.accountIds.length,
      });
    }
    const summary = {
      total: items.length,
      applicable: items.filter((i) => !i.skip).length,
      skipped: items.filter((i) => i.skip).length,
    };
    if (dryRun) return { status: 'preview' as const, ...summary, items };

    const id = randomUUID();
    const changes = { accounts: summary };
    await this.dataSource.transaction(async (m) => {
      await m.save(
        Object.assign(
          newChangeRequest(
            {
              operation,
              targetType: 'bulk',
              targetId: id,
              params,
              changes,
              expectedVersion: 0,
              payloadHash: payloadHash({ operation, targetId: id, params, expectedVersion: 0, changes }),
              requestedBy: principal.staffId,
              requestedByEmail: principal.email,
              reason: body.reason,
              ticket: body.ticket ?? null,
            },
            this.config.changeRequestHours,
          ),
          { id },
        ),
      );
      for (let i = 0; i < items.length; i += 1000) {
        await m.insert(
          BulkItemEntity,
          items.slice(i, i + 1000).map((item) => ({
            requestId: id,
            accountId: item.accountId,
            expectedVersion: item.version,
            status: item.skip ? ('skipped' as const) : ('pending' as const),
            detail: item.skip ?? null,
          })),
        );
      }
      await this.audit.record(
        {
          ...event,
          action: AuditAction.BulkOperationRequest,
          outcome: 'pending',
          target: { type: 'change_request', id },
          reason: body.reason,
          ticket: body.ticket ?? null,
          details: { operation, ...summary },
        },
        m,
      );
    });
    return { status: 'pending_approval' as const, changeRequestId: id, ...summary, items };
  }

  async progress(principal: Principal, id: string) {
    const request = await this.dataSource
      .getRepository(ChangeRequestEntity)
      .findOneBy({ id, targetType: 'bulk' });
    // Seen as the change request itself is (ChangeRequestsService#get).
    if (!request || !seesRequest(principal, request)) {
      throw new NotFoundException(`bulk operation ${id} does not exist`);
    }
    const rows = (await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM bulk_item WHERE request_id = $1 GROUP BY status`,
      [id],
    )) as { status: string; n: number }[];
    const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return {
      id,
      operation: request.operation,
      status: request.status,
      total: rows.reduce((sum, r) => sum + r.n, 0),
      pending: count('pending'),
      applied: count('applied'),
      skipped: count('skipped'),
      failed: count('failed'),
    };
  }

  /** Starts (or joins) the processing of an approved bulk operation in the background. */
  start(id: string): Promise<void> {
    const existing = this.running.get(id);
    if (existing) return existing;
    const run = this.runClaimed(id)
      .catch((error: unknown) =>
        // Only when even its failure could not be recorded (the database gone): it stays approved
        // and carries on at the next sweep (of this instance or another) or start.
        this.logger.error(
          { bulkOperationId: id, err: errorFacts(error) },
          'bulk operation stopped; it resumes at the next sweep or start',
        ),
      )
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Runs the request if no other runner (of any instance) holds it; leaves it to that one if so. */
  private async runClaimed(id: string): Promise<void> {
    const claim = await claimBulkRun(this.serverUrl(), id);
    if (!claim) return;
    try {
      await this.run(id, claim);
    } finally {
      await claim.release();
    }
  }

  /** The PostgreSQL server the app runs on, or undefined on the embedded database. */
  private serverUrl(): string | undefined {
    // AppModule is given the resolved config: databaseUrl is the embedded database's socket too.
    const config = this.config as AppConfig & { embeddedDatabase?: boolean };
    return config.embeddedDatabase === true ? undefined : config.databaseUrl;
  }

  /**
   * Runs the pending accounts batch by batch, then ends the request: applied once every account
   * has run (each applied or failed, with its event), failed when none could be changed or the run
   * itself met an error, with a bulk_operation.complete event either way. Only under its claim:
   * should the claim go to another runner, this one stops and leaves the request to it.
   */
  private async run(id: string, claim: BulkRunClaim): Promise<void> {
    const request = await this.dataSource.getRepository(ChangeRequestEntity).findOneByOrFail({ id });
    // Ended by a runner that let go just before this one took it.
    if (request.status !== 'approved') return;
    try {
      const approval = await this.approvalFacts(request);
      for (;;) {
        if (this.stopping || !(await claim.keep())) return;
        // No account left pending means none is in another runner's batch either: an account
        // leaves pending only in the commit that changes it.
        const batch = await this.dataSource
          .getRepository(BulkItemEntity)
          .find({ where: { requestId: id, status: 'pending' }, order: { accountId: 'ASC' }, take: BATCH });
        if (batch.length === 0) break;
        await this.runBatch(request, approval, batch);
      }
    } catch (error) {
      // A shutdown, or a claim that went with its connection, interrupts: the request stays
      // approved for whoever holds it now, or resumes at the next sweep or start.
      if (this.stopping || claim.lost) throw error;
      this.logger.error({ bulkOperationId: id, err: errorFacts(error) }, 'bulk operation stopped');
      return this.finish(request, 'the bulk operation stopped on an unexpected error');
    }
    await this.finish(request);
  }

  /**
   * A batch in one transaction, its accounts' changes and events together. A database error aborts
   * the whole transaction, so then the batch runs again one account per transaction: the account
   * that caused it fails alone, with its event, and the others are applied.
   */
  private async runBatch(request: ChangeRequestEntity, approval: EventBase, batch: BulkItemEntity[]) {
    try {
      await this.dataSource.transaction(async (m) => {
        for (const item of batch) {
          let failure: string | null = null;
          try {
            await this.applyItem(m, request, approval, item);
          } catch (error) {
            if (!(error instanceof ConflictException)) throw error;
            failure = error.message;
          }
          await this.settle(m, request, approval, item, failure);
        }
      });
    } catch (error) {
      if (this.stopping) throw error;
      for (const item of batch) await this.runAlone(request, approval, item);
    }
  }

  /** One account in a transaction of its own; whatever stops its change fails it, with its event. */
  private async runAlone(request: ChangeRequestEntity, approval: EventBase, item: BulkItemEntity) {
    try {
      await this.dataSource.transaction(async (m) => {
        await this.applyItem(m, request, approval, item);
        await this.settle(m, request, approval, item, null);
      });
    } catch (error) {
      if (this.stopping) throw error;
      const failure = this.failureOf(request.id, error);
      await this.dataSource.transaction((m) => this.settle(m, request, approval, item, failure));
    }
  }

  /** Applies one account's change with its event, or throws why it cannot be. */
  private async applyItem(
    m: EntityManager,
    request: ChangeRequestEntity,
    approval: EventBase,
    item: BulkItemEntity,
  ): Promise<void> {
    const operation = request.operation as OperationName;
    const account = await m.getRepository(AccountEntity).findOneBy({ id: item.accountId });
    if (!account || account.version !== item.expectedVersion) {
      throw new ConflictException('the account changed since the bulk operation was requested');
    }
    const plan = planOperation(operation, account, request.params);
    await this.operations.apply(
      m,
      account.id,
      account.version,
      plan,
      request.requestedBy,
      request.requestedByEmail,
      {
        ...approval,
        action: operationAuditAction(operation),
        outcome: 'success',
        reason: request.reason,
        ticket: request.ticket,
        details: { bulkOperationId: request.id, requestedBy: request.requestedByEmail },
      },
    );
  }

  /**
   * Marks an account applied, or failed with why and an error event, in the caller's transaction.
   * Only from pending: a runner whose claim went mid-batch (bulk-run-claim.ts) may meet an account
   * that the runner holding it now has settled. Its failure then is only that the other one
   * changed the account first, and is not recorded; a change it made after all (the other one
   * failed the account) is rolled back with its batch.
   */
  private async settle(
    m: EntityManager,
    request: ChangeRequestEntity,
    approval: EventBase,
    item: BulkItemEntity,
    failure: string | null,
  ): Promise<void> {
    const settled = await m.update(
      BulkItemEntity,
      { requestId: request.id, accountId: item.accountId, status: 'pending' },
      failure === null ? { status: 'applied', detail: null } : { status: 'failed', detail: failure },
    );
    if (!settled.affected) {
      if (failure === null)
        throw new ConflictException('another run of the bulk operation settled this account');
      return;
    }
    if (failure === null) return;
    await this.audit.record(
      {
        ...approval,
        action: operationAuditAction(request.operation as OperationName),
        outcome: 'error',
        target: { type: 'account', id: item.accountId },
        reason: request.reason,
        ticket: request.ticket,
        details: { bulkOperationId: request.id, requestedBy: request.requestedByEmail, failure },
      },
      m,
    );
  }

  /** Why an account's change failed, in words that quote no value (the driver's message may). */
  private failureOf(id: string, error: unknown): string {
    if (error instanceof HttpException && error.getStatus() < 500) return error.message;
    const known = describeDatabaseError(error);
    if (known) return known.message;
    this.logger.error({ bulkOperationId: id, err: errorFacts(error) }, 'bulk operation account failed');
    return 'the change could not be applied because of an unexpected error';
  }

  /**
   * The approver as the approval's own event recorded them: the actor with their roles, and the
   * request id, IP and user agent of the approval. That event commits with the approval, so the
   * runner finds it after a restart too, and each account's event says exactly what it said. A
   * request approved without one (never through the API) falls back to the decider, without roles.
   */
  private async approvalFacts(request: ChangeRequestEntity): Promise<EventBase> {
    const rows = (await this.dataSource.query(
      `SELECT actor_type, actor_id, actor_email, actor_roles, request_id, ip, user_agent
         FROM audit_event
        WHERE target_type = 'change_request' AND target_id = $1 AND action = $2 AND outcome = 'success'
          AND occurred_at >= $3
        ORDER BY seq DESC
        LIMIT 1`,
      // The event is dated after the decision (both by the approving instance's clock); the bound
      // lets the query read only the partitions from that month on.
      [
        request.id,
        AuditAction.ChangeRequestApprove,
        new Date((request.decidedAt ?? request.createdAt).getTime() - 60_000),
      ],
    )) as {
      actor_type: AuditActor['type'];
      actor_id: string | null;
      actor_email: string | null;
      actor_roles: string[];
      request_id: string | null;
      ip: string | null;
      user_agent: string | null;
    }[];
    const event = rows[0];
    if (!event) {
      return { actor: { type: 'staff', id: request.decidedBy, email: request.decidedByEmail, roles: [] } };
    }
    return {
      actor: {
        type: event.actor_type,
        id: event.actor_id,
        email: event.actor_email,
        roles: event.actor_roles,
      },
      requestId: event.request_id,
      ip: event.ip,
      userAgent: event.user_agent,
    };
  }

  /**
   * Ends the request with its event. `stopped` says why the run could not go on: the accounts it
   * had not reached fail (they are never run), and so does the request.
   */
  private async finish(request: ChangeRequestEntity, stopped?: string): Promise<void> {
    const id = request.id;
    await this.dataSource.transaction(async (m) => {
      if (stopped) {
        await m.update(
          BulkItemEntity,
          { requestId: id, status: 'pending' },
          { status: 'failed', detail: 'the bulk operation stopped before this account ran' },
        );
      }
      const rows = (await m.query(
        `SELECT status, count(*)::int AS n FROM bulk_item WHERE request_id = $1 GROUP BY status`,
        [id],
      )) as { status: string; n: number }[];
      const count = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
      const counts = { applied: count('applied'), skipped: count('skipped'), failed: count('failed') };
      const failure =
        stopped ?? (counts.applied === 0 && counts.failed > 0 ? 'no account could be changed' : null);
      const ended = await m.update(
        ChangeRequestEntity,
        { id, status: 'approved' },
        failure === null ? { status: 'applied' } : { status: 'failed', failure },
      );
      // Already ended by another runner, one that took over when this one's claim went (run).
      if (!ended.affected) return;
      await this.audit.record(
        {
          actor: { type: 'system', id: null, email: null, roles: [] },
          action: AuditAction.BulkOperationComplete,
          outcome: failure === null ? 'success' : 'error',
          target: { type: 'change_request', id },
          details: { ...counts, ...(failure === null ? {} : { failure }) },
        },
        m,
      );
    });
  }
}

/** What locates an error in the log without its message, which may quote a value. */
function errorFacts(error: unknown) {
  return { name: (error as Error)?.name, code: (error as { code?: unknown })?.code };
}
