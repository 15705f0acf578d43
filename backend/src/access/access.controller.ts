import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  FIELD_POLICY,
  PERMISSIONS,
  Permission,
  REVEAL_PERMISSIONS,
  ROLE_PERMISSIONS,
  ROLES,
  type RevealResponse,
} from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import { Authenticated, Authorize, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { UuidParam } from '../common/uuid.pipe';
import { RevealDto } from './dto/reveal.dto';
import { RevealService } from './reveal.service';

@ApiTags('access')
@Controller()
export class AccessController {
  constructor(private readonly reveals: RevealService) {}

  /**
   * Reveal needs a reader of accounts (a token scoped to a reveal permission alone revealed clear
   * values of accounts it could not read); which fields are allowed is checked per field in the
   * service, so that a refused reveal is recorded with what was asked for.
   */
  @Authorize(Permission.AccountRead)
  @Post('accounts/:id/reveal')
  @HttpCode(200)
  reveal(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Body() dto: RevealDto,
  ): Promise<RevealResponse> {
    return this.reveals.reveal(req, principal, id, dto);
  }

  /** The whole policy, as data: what the console builds its access review from. */
  @Authenticated()
  @Get('policy')
  policy() {
    return {
      roles: ROLES,
      permissions: PERMISSIONS,
      rolePermissions: ROLE_PERMISSIONS,
      fields: FIELD_POLICY,
      reveal: REVEAL_PERMISSIONS,
      accessReviewPermission: Permission.PolicyRead,
    };
  }
}
