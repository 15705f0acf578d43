import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { viewerOf } from '../access/field-policy';
import { toAccount } from '../accounts/account.mapper';
import { requestFacts } from '../audit/audit.service';
import { Authenticated, CurrentPrincipal } from '../auth/decorators';
import { toStaffMember } from '../staff/staff.mapper';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/page';
import { UuidParam } from '../common/uuid.pipe';
import { toChangeRequest } from './change-request.mapper';
import { ChangeRequestsService } from './change-requests.service';
import { ApproveDto, ListChangeRequestsQueryDto, RejectDto } from './dto/decide.dto';

@ApiTags('change-requests')
@Controller('change-requests')
export class ChangeRequestsController {
  constructor(private readonly requests: ChangeRequestsService) {}

  /**
   * Any signed-in person: each sees the kinds of request their permissions review, and the
   * requests they filed themselves (the service decides which; nothing else is listed or found).
   */
  @Authenticated()
  @Get()
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListChangeRequestsQueryDto) {
    const page = await this.requests.list(principal, {
      status: query.status,
      mine: query.mine === 'true',
      limit: query.limit,
      cursor: query.cursor,
    });
    const viewer = viewerOf(principal);
    const blockers = await this.requests.blockers(page.data);
    return mapPage(page, (r) => toChangeRequest(r, viewer, { blocker: blockers.get(r.id) }));
  }

  @Authenticated()
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string) {
    const request = await this.requests.get(principal, id);
    const items = request.targetType === 'bulk' ? await this.requests.bulkItems(request) : undefined;
    const blocker = (await this.requests.blockers([request])).get(request.id);
    return toChangeRequest(request, viewerOf(principal), { items, blocker });
  }

  @Authenticated()
  @Post(':id/approve')
  @HttpCode(200)
  async approve(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Body() dto: ApproveDto,
  ) {
    const result = await this.requests.approve(principal, id, dto.comment, requestFacts(req, principal));
    if ('bulk' in result) return { status: result.status, changeRequestId: result.changeRequestId };
    if ('staff' in result) {
      return {
        status: result.status,
        changeRequestId: result.changeRequestId,
        staff: toStaffMember(result.staff),
      };
    }
    return {
      status: result.status,
      changeRequestId: result.changeRequestId,
      account: toAccount(result.account, viewerOf(principal)),
      auditEventId: result.auditEventId,
    };
  }

  @Authenticated()
  @Post(':id/reject')
  @HttpCode(200)
  async reject(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Body() dto: RejectDto,
  ) {
    const request = await this.requests.reject(principal, id, dto.comment, requestFacts(req, principal));
    return toChangeRequest(request, viewerOf(principal));
  }
}
