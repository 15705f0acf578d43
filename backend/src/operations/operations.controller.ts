import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { isOperationName, OPERATIONS, CREDIT_CAPS_CENTS, Permission } from '@custodian/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentChanges, viewerOf } from '../access/field-policy';
import { toAccount } from '../accounts/account.mapper';
import { requestFacts } from '../audit/audit.service';
import { Authenticated, Authorize, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { NoQueryParameters } from '../common/no-query.pipe';
import { UuidParam } from '../common/uuid.pipe';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { OperationsService } from './operations.service';
import { DryRunQueryDto } from './dto/dry-run-query.dto';

@ApiTags('operations')
@Controller()
export class OperationsController {
  constructor(
    private readonly operations: OperationsService,
    private readonly changeRequests: ChangeRequestsService,
  ) {}

  /** The catalogue, for the console's forms: every operation, its permission, parameters and rule. */
  @Authenticated()
  @Get('operations')
  catalogue(@Query(NoQueryParameters) _query: unknown) {
    return { data: Object.values(OPERATIONS), creditCapsCents: CREDIT_CAPS_CENTS };
  }

  /**
   * One route for all operations; each operation's own permission is checked in the service
   * (the route table cannot know it from the path), before its body is even validated. The route
   * itself needs account.read: its answer is the account, or a diff of its fields, and an operation
   * is run against a version the caller has read.
   */
  @Authorize(Permission.AccountRead)
  @Post('accounts/:id/operations/:name')
  @HttpCode(HttpStatus.OK)
  async run(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Param('name') name: string,
    @Query() { dryRun }: DryRunQueryDto,
    @Body() body: unknown,
  ) {
    if (!isOperationName(name))
      throw new NotFoundException(`there is no operation named ${name.slice(0, 50)}`);
    const facts = requestFacts(req, principal);
    const outcome = await this.operations.run(principal, name, id, body, dryRun === 'true', facts);
    const viewer = viewerOf(principal);
    if (outcome.status === 'preview') {
      return { status: 'preview', changes: presentChanges(outcome.changes, viewer) };
    }
    if (outcome.status === 'pending_approval') {
      const request = await this.changeRequests.create(principal, id, outcome.body, outcome.plan, facts);
      res.status(HttpStatus.ACCEPTED);
      return { status: 'pending_approval', changeRequestId: request.id };
    }
    return {
      status: 'applied',
      account: toAccount(outcome.account, viewer),
      auditEventId: outcome.auditEventId,
    };
  }
}
