import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AuditAction,
  Permission,
  type AuditEvent,
  type AuditVerification,
  type Page,
} from '@custodian/shared';
import { stringify } from 'csv-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable, pipeline } from 'node:stream';
import { viewerOf, type Viewer } from '../access/field-policy';
import { assertAccountExists } from '../accounts/account.sql';
import { Authorize, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/page';
import { PageQueryDto } from '../common/page-query.dto';
import { NoQueryParameters } from '../common/no-query.pipe';
import { UuidParam } from '../common/uuid.pipe';
import { toAuditEvent } from './audit-event.mapper';
import type { AuditEventEntity } from './audit-event.entity';
import { AuditReaderService } from './audit-reader.service';
import { AuditService, requestFacts } from './audit.service';
import { CheckpointService, readCheckpoints } from './checkpoint.service';
import { chainStart } from './retention';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ExportAuditEventsQueryDto, ListAuditEventsQueryDto } from './dto/list-audit-events.dto';

const CSV_COLUMNS = [
  'seq',
  'id',
  'occurredAt',
  'actorType',
  'actorId',
  'actorEmail',
  'actorRoles',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'reason',
  'ticket',
  'changes',
  'details',
  'requestId',
  'ip',
  'userAgent',
  'prevHash',
  'hash',
];

/** A spreadsheet must not run a cell as a formula: text starting with = + - @ is quoted as text. */
function safeCell(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

@ApiTags('audit')
@Controller()
export class AuditController {
  constructor(
    private readonly reader: AuditReaderService,
    private readonly audit: AuditService,
    private readonly checkpoints: CheckpointService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Authorize(Permission.AuditRead)
  @Get('audit-events')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAuditEventsQueryDto,
  ): Promise<Page<AuditEvent>> {
    const page = await this.reader.list(query);
    const viewer = viewerOf(principal);
    return mapPage(page, (e) => toAuditEvent(e, viewer));
  }

  @Authorize(Permission.AuditVerify)
  @Get('audit-events/verify')
  async verify(@Query(NoQueryParameters) _query: unknown): Promise<AuditVerification> {
    const checkpoints = await readCheckpoints(this.dataSource);
    const publicKeyPem = this.checkpoints.signer.publicKeyPem;
    // After a retention the chain starts right after its signed anchor.
    return this.reader.verify({ publicKeyPem, checkpoints }, await chainStart(this.dataSource, publicKeyPem));
  }

  /** A streamed file; the export is itself an event, written before the first byte goes out. */
  @Authorize(Permission.AuditExport)
  @Get('audit-events/export')
  async export(
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExportAuditEventsQueryDto,
  ): Promise<FastifyReply> {
    const { format, ...filters } = query;
    await this.audit.record({
      ...requestFacts(req, principal),
      action: AuditAction.AuditExport,
      outcome: 'success',
      details: { format, filters },
    });
    const viewer = viewerOf(principal);
    const events = this.reader.stream(filters);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // A stream that fails midway ends the response early (pipeline destroys the file's stream), so
    // a client never takes a cut file for a whole one.
    const file =
      format === 'csv'
        ? pipeline(
            Readable.from(csvRows(events, viewer)),
            stringify({ header: true, columns: CSV_COLUMNS }),
            () => {},
          )
        : Readable.from(ndjsonLines(events, viewer));
    return res
      .header('Content-Disposition', `attachment; filename="audit-events-${stamp}.${format}"`)
      .header('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .send(file);
  }

  @Authorize(Permission.AuditRead)
  @Get('audit-events/:id')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
  ): Promise<AuditEvent> {
    return toAuditEvent(await this.reader.get(id), viewerOf(principal));
  }

  /** What happened to one account, newest first. */
  @Authorize(Permission.AccountRead)
  @Get('accounts/:id/history')
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<AuditEvent>> {
    // As the account's other lists answer: no such account is a 404, not an empty history.
    await assertAccountExists(this.dataSource, id);
    const result = await this.reader.list({
      ...page,
      targetType: 'account',
      targetId: id,
    } as ListAuditEventsQueryDto);
    const viewer = viewerOf(principal);
    return mapPage(result, (e) => toAuditEvent(e, viewer));
  }
}

async function* ndjsonLines(events: AsyncIterable<AuditEventEntity>, viewer: Viewer): AsyncGenerator<string> {
  for await (const entity of events) yield JSON.stringify(toAuditEvent(entity, viewer)) + '\n';
}

async function* csvRows(events: AsyncIterable<AuditEventEntity>, viewer: Viewer): AsyncGenerator<string[]> {
  for await (const entity of events) {
    const e = toAuditEvent(entity, viewer);
    yield [
      e.seq,
      e.id,
      e.occurredAt,
      e.actor.type,
      e.actor.id,
      e.actor.email,
      e.actor.roles.join(' '),
      e.action,
      e.target?.type,
      e.target?.id,
      e.outcome,
      e.reason,
      e.ticket,
      e.changes,
      e.details,
      e.requestId,
      e.ip,
      e.userAgent,
      e.prevHash,
      e.hash,
    ].map(safeCell);
  }
}
