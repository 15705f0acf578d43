import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestFacts } from '../audit/audit.service';
import { ApiTags } from '@nestjs/swagger';
import { AuditAction, Permission, type StaffMember } from '@custodian/shared';
import { Authenticated, Authorize, CurrentPrincipal, SessionOnly } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { NoQueryParameters } from '../common/no-query.pipe';
import { UuidParam } from '../common/uuid.pipe';
import { ChangePasswordDto, CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { toStaffMember, toStaffRecord, type StaffRecord } from './staff.mapper';
import { StaffService } from './staff.service';

@ApiTags('staff')
@Controller()
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Authorize(Permission.StaffRead)
  @Get('staff')
  async list(@Query(NoQueryParameters) _query: unknown): Promise<{ data: StaffRecord[]; nextCursor: null }> {
    const [people, pending] = await Promise.all([this.staff.list(), this.staff.pendingGrants()]);
    return { data: people.map((p) => toStaffRecord(p, pending)), nextCursor: null };
  }

  @Authorize(Permission.StaffRead)
  @Get('staff/:id')
  async get(@Param('id', UuidParam) id: string): Promise<StaffRecord> {
    const [person, pending] = await Promise.all([this.staff.get(id), this.staff.pendingGrants([id])]);
    return toStaffRecord(person, pending);
  }

  /** The person starts with no roles: roles asked for answer 202 and wait for a second admin, as in PATCH. */
  @Authorize(Permission.StaffManage)
  @Post('staff')
  async create(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateStaffDto,
  ): Promise<StaffMember & { initialPassword?: string; pendingChangeRequestId?: string }> {
    const { person, initialPassword, changeRequestId } = await this.staff.create(
      { id: principal.staffId, email: principal.email },
      dto,
      requestFacts(req, principal),
    );
    if (changeRequestId) res.status(202);
    return { ...toStaffMember(person), initialPassword, pendingChangeRequestId: changeRequestId };
  }

  /**
   * Removing roles and deactivating apply at once; a role grant answers 202 and waits for a second
   * admin, and so does reactivating someone who had roles: they come back with none, and the answer
   * names the grant filed for them and lists it in `pendingGrants`, as GET does.
   */
  @Authorize(Permission.StaffManage)
  @Patch('staff/:id')
  async update(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateStaffDto,
  ): Promise<StaffRecord & { pendingChangeRequestId?: string }> {
    // An empty (or null) body would answer 200 with nothing done, which a caller could take for a
    // change that happened; the ValidationPipe hands a null body through as null.
    if (!dto || (dto.roles === undefined && dto.active === undefined)) {
      throw new BadRequestException('give at least one of roles or active');
    }
    const { person, changeRequestId } = await this.staff.update(
      { id: principal.staffId, email: principal.email },
      id,
      dto,
      requestFacts(req, principal),
    );
    if (changeRequestId) res.status(202);
    const pending = await this.staff.pendingGrants([id]);
    return { ...toStaffRecord(person, pending), pendingChangeRequestId: changeRequestId };
  }

  @Authenticated()
  @SessionOnly('change the password')
  @Post('auth/password')
  @HttpCode(204)
  async changePassword(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    await this.staff.changePassword(principal.staffId, dto.currentPassword, dto.newPassword, {
      ...requestFacts(req, principal),
      action: AuditAction.AuthPasswordChanged,
      outcome: 'success',
      target: { type: 'staff', id: principal.staffId },
    });
  }
}
