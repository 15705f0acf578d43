import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AuditAction,
  type AuthConfigResponse,
  type CreatedToken,
  type LoginResponse,
  type Me,
  type TokenSummary,
} from '@custodian/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { NoQueryParameters } from '../common/no-query.pipe';
import { UuidParam } from '../common/uuid.pipe';
import { AuditService, requestFacts } from '../audit/audit.service';
import { AuthService } from './auth.service';
import {
  AllowDuringMfaEnrolment,
  Authenticated,
  CurrentPrincipal,
  IdentityCheck,
  Public,
  SessionOnly,
} from './decorators';
import { CreateTokenDto } from './dto/create-token.dto';
import { ConfirmMfaDto, LoginDto } from './dto/login.dto';
import { toMe, toTokenSummary } from './me.mapper';
import { MfaService } from './mfa.service';
import { OidcService } from './oidc.service';
import { PasswordStrategy, signInWithPassword } from './password.strategy';
import type { Principal } from './principal';
import { expiredSessionCookie } from './session';
import { TokensService } from './tokens.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    private readonly mfa: MfaService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly passwordStrategy: PasswordStrategy,
  ) {}

  @Public()
  @Get('config')
  authConfig(): AuthConfigResponse {
    return {
      sso: this.oidc.enabled ? { enabled: true, name: this.config.oidc?.name } : { enabled: false },
      demo: this.config.demo,
      session: { idleMinutes: this.config.session.idleMinutes },
    };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    // Validated here, before passport reads it (password.strategy.ts).
    @Body() _body: LoginDto,
  ): Promise<LoginResponse> {
    const { principal, csrfToken } = await signInWithPassword(this.passwordStrategy, req, res);
    return { user: toMe(principal), csrfToken };
  }

  @Authenticated()
  @SessionOnly('end a session')
  @AllowDuringMfaEnrolment()
  @Post('logout')
  @HttpCode(204)
  async logout(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.audit.record({
      ...requestFacts(req, principal),
      action: AuditAction.AuthLogout,
      outcome: 'success',
    });
    if (req.session) {
      await new Promise<void>((resolve, reject) => req.session.destroy((e) => (e ? reject(e) : resolve())));
    }
    res.header('Set-Cookie', expiredSessionCookie(this.config));
  }

  @Authenticated()
  @AllowDuringMfaEnrolment()
  @IdentityCheck()
  @Get('me')
  me(@Req() req: FastifyRequest, @CurrentPrincipal() principal: Principal): Me & { csrfToken?: string } {
    // The console reloads without losing its CSRF token: the session hands it back to its owner.
    return {
      ...toMe(principal),
      csrfToken: principal.method === 'token' ? undefined : req.session.csrfToken,
    };
  }

  @Public()
  @Get('oidc/login')
  async oidcLogin(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    if (!this.oidc.enabled) throw new BadRequestException('single sign-on is not configured');
    const { url, checks } = await this.oidc.start();
    req.session.oidc = checks;
    await new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
    res.redirect(url, 302);
  }

  @Public()
  @Get('oidc/callback')
  async oidcCallback(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const checks = req.session?.oidc;
    try {
      if (!this.oidc.enabled) throw new BadRequestException('single sign-on is not configured');
      if (!checks) throw new BadRequestException('no single sign-on is in progress; start again');
      const callbackUrl = new URL(req.url, this.config.publicUrl);
      const identity = await this.oidc.finish(callbackUrl, checks);
      await this.auth.loginWithSso(req, identity);
      res.redirect('/', 302);
    } catch (error) {
      // Only our own sentences reach the browser; a library's message may name internals.
      const message = error instanceof HttpException ? error.message : 'single sign-on failed; try again';
      res.redirect(`/#/login?error=${encodeURIComponent(message)}`, 302);
    }
  }

  @Authenticated()
  @SessionOnly('set up two-factor authentication')
  @AllowDuringMfaEnrolment()
  @Post('mfa/enrol')
  @HttpCode(200)
  async enrolMfa(@Req() req: FastifyRequest, @CurrentPrincipal() principal: Principal) {
    if (principal.method !== 'password') {
      throw new BadRequestException('two-factor authentication is set up for password sign-in only');
    }
    const enrolment = await this.mfa.startEnrolment(principal.email);
    req.session.pendingMfaSecret = enrolment.sealed;
    return { secret: enrolment.secret, otpauthUrl: enrolment.otpauthUrl, qrCode: enrolment.qrCode };
  }

  @Authenticated()
  @SessionOnly('set up two-factor authentication')
  @AllowDuringMfaEnrolment()
  @Post('mfa/confirm')
  @HttpCode(200)
  async confirmMfa(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ConfirmMfaDto,
  ): Promise<{ recoveryCodes: string[] }> {
    const sealed = req.session.pendingMfaSecret;
    if (!sealed) throw new BadRequestException('start the enrolment first (POST /api/auth/mfa/enrol)');
    const step = await this.mfa.check(sealed, dto.otp, null);
    if (step === null) throw new BadRequestException('otp does not match; check the clock of your device');
    const recoveryCodes = await this.mfa.enable(principal.staffId, sealed, step, {
      ...requestFacts(req, principal),
      action: AuditAction.AuthMfaEnrolled,
      outcome: 'success',
      target: { type: 'staff', id: principal.staffId },
    });
    delete req.session.pendingMfaSecret;
    return { recoveryCodes };
  }

  @Authenticated()
  @SessionOnly('create tokens')
  @Post('tokens')
  async createToken(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateTokenDto,
  ): Promise<CreatedToken> {
    const { entity, token } = await this.tokens.create(
      principal,
      dto.name,
      dto.expiresInDays,
      dto.permissions,
      {
        ...requestFacts(req, principal),
        action: AuditAction.AuthTokenCreated,
        outcome: 'success',
      },
    );
    return {
      id: entity.id,
      token,
      expiresAt: entity.expiresAt.toISOString(),
      permissions: entity.permissions,
    };
  }

  @Authenticated()
  @Get('tokens')
  async listTokens(
    @CurrentPrincipal() principal: Principal,
    @Query(NoQueryParameters) _query: unknown,
  ): Promise<{ data: TokenSummary[] }> {
    return { data: (await this.tokens.list(principal.staffId)).map(toTokenSummary) };
  }

  @Authenticated()
  @SessionOnly('revoke tokens')
  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
  ): Promise<void> {
    await this.tokens.revoke(principal.staffId, id, {
      ...requestFacts(req, principal),
      action: AuditAction.AuthTokenRevoked,
      outcome: 'success',
      target: { type: 'token', id },
    });
  }
}
