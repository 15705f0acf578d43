import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
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
import { DataSource, In } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { AuditService, type AuditInput } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ChangeRequestEntity, newChangeRequest } from '../change-requests/change-request.entity';
import { payloadHash } from '../change-requests/payload-hash';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { BulkItemEntity } from './bulk-item.entity';
import type { CreateBulkOperationDto } from './dto/bulk-operation.dto';
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
 */
@Injectable()
export class BulkOperationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BulkOperationsService.name);
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;

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
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.running.values());
  }

  /** Validates, plans every account (dry run) and, unless dryRun, files the change request. */
  async create(principal: Principal, dto: CreateBulkOperationDto, dryRun: boolean, event: EventBase) {
    const operation = dto.operation as OperationName;
    const def = OPERATIONS[operation];
    if (!principal.permissions.includes(def.permission)) {
      throw new ForbiddenException(`this needs the ${def.permission} permission`);
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
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
        if (error instanceof PersonalValueMatch) matches++;
        items.push({ accountId: id, skip: error.message, version: account.version });
      }
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
    if (
      !request ||
      (request.requestedBy !== principal.staffId &&
        !principal.permissions.includes(Permission.ChangeRequestRead))
    ) {
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
    const run = this.run(id)
      .catch((error: unknown) =>
        this.logger.error({ err: { name: (error as Error)?.name } }, 'bulk operation stopped'),
      )
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private async run(id: string): Promise<void> {
    const request = await this.dataSource.getRepository(ChangeRequestEntity).findOneByOrFail({ id });
    const operation = request.operation as OperationName;
    const approver = { id: request.decidedBy, email: request.decidedByEmail };
    for (;;) {
      if (this.stopping) return;
      const batch = await this.dataSource
        .getRepository(BulkItemEntity)
        .find({ where: { requestId: id, status: 'pending' }, order: { accountId: 'ASC' }, take: BATCH });
      if (batch.length === 0) break;
      await this.dataSource.transaction(async (m) => {
        for (const item of batch) {
          const account = await m.getRepository(AccountEntity).findOneBy({ id: item.accountId });
          let status: BulkItemEntity['status'] = 'applied';
          let detail: string | null = null;
          try {
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
                actor: { type: 'staff', id: approver.id, email: approver.email, roles: [] },
                action: operationAuditAction(operation),
                outcome: 'success',
                reason: request.reason,
                ticket: request.ticket,
                details: { bulkOperationId: id, requestedBy: request.requestedByEmail },
              },
            );
          } catch (error) {
            if (!(error instanceof ConflictException)) throw error;
            status = 'failed';
            detail = error.message;
          }
          await m.update(BulkItemEntity, { requestId: id, accountId: item.accountId }, { status, detail });
        }
      });
    }
    const done = await this.progress(
      { staffId: request.requestedBy, permissions: [] } as unknown as Principal,
      id,
    );
    await this.dataSource.transaction(async (m) => {
      await m.update(ChangeRequestEntity, { id, status: 'approved' }, { status: 'applied' });
      await this.audit.record(
        {
          actor: { type: 'system', id: null, email: null, roles: [] },
          action: AuditAction.BulkOperationComplete,
          outcome: 'success',
          target: { type: 'change_request', id },
          details: { applied: done.applied, skipped: done.skipped, failed: done.failed },
        },
        m,
      );
    });
  }
}
