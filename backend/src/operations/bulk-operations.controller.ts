import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '@custodian/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentChanges, viewerOf } from '../access/field-policy';
import { requestFacts } from '../audit/audit.service';
import { Authenticated, Authorize, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { UuidParam } from '../common/uuid.pipe';
import { BulkOperationsService } from './bulk-operations.service';
import { CreateBulkOperationDto } from './dto/bulk-operation.dto';
import { DryRunQueryDto } from './dto/dry-run-query.dto';

@ApiTags('operations')
@Controller('bulk-operations')
export class BulkOperationsController {
  constructor(private readonly bulk: BulkOperationsService) {}

  /** A dry run lists every account's diff or why it is skipped; without dryRun it also files the request (202). */
  @Authorize(Permission.BulkOperationCreate)
  @Post()
  async create(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Query() { dryRun }: DryRunQueryDto,
    @Body() dto: CreateBulkOperationDto,
  ) {
    const result = await this.bulk.create(principal, dto, dryRun === 'true', requestFacts(req, principal));
    res.status(result.status === 'preview' ? HttpStatus.OK : HttpStatus.ACCEPTED);
    const viewer = viewerOf(principal);
    return {
      ...result,
      items: result.items.map(({ accountId, changes, skip }) => ({
        accountId,
        ...(changes ? { changes: presentChanges(changes, viewer) } : { skip }),
      })),
    };
  }

  @Authenticated()
  @Get(':id')
  progress(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string) {
    return this.bulk.progress(principal, id);
  }
}
