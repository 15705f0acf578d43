import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { permissionsOf, type Permission } from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { AuthCache } from './auth-cache';
import {
  ACCESS_KEY,
  ENROLMENT_KEY,
  IDENTITY_CHECK_KEY,
  SESSION_ONLY_KEY,
  type AccessRule,
} from './decorators';
import type { Principal } from './principal';
import { findActivePerson, type RequestPerson } from './request-person';
import { TokensService } from './tokens.service';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The one guard, global. Must stay true:
 * - deny by default: a route without an access declaration is refused for everyone;
 * - every request is one identified, active person, by session cookie or personal access token;
 *   the person is read from the database, or from AuthCache, which every committed change of
 *   staff, tokens or reveal grants empties, so a deactivation or role change takes effect as soon
 *   as it commits;
 * - a route marked `@SessionOnly()` (the person's own credentials and sessions) refuses tokens;
 * - a cookie-authenticated write needs the session's CSRF token in X-CSRF-Token and must not come
 *   from another site.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly cache: AuthCache,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, targets);
    if (!rule) {
      context.switchToHttp().getRequest<FastifyRequest>().protectedRoute = true;
      this.logger.error(
        `route ${context.getClass().name}.${context.getHandler().name} declares no access rule`,
      );
      throw new ForbiddenException('this route declares no access rule');
    }
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (rule.kind === 'public') return true;
    // The cookie header is read only on the identity check, not on every request.
    req.protectedRoute =
      !this.reflector.getAllAndOverride<boolean>(IDENTITY_CHECK_KEY, targets) || this.presentsCredential(req);

    const principal = await this.authenticate(req);
    req.principal = principal;

    const sessionOnly = this.reflector.getAllAndOverride<string | undefined>(SESSION_ONLY_KEY, targets);
    if (sessionOnly !== undefined && principal.method === 'token') {
      throw new ForbiddenException(`a token cannot ${sessionOnly}; sign in to do that`);
    }

    if (
      principal.mfaEnrolmentRequired &&
      !this.reflector.getAllAndOverride<boolean>(ENROLMENT_KEY, targets)
    ) {
      throw new ForbiddenException('set up two-factor authentication first');
    }
    if (rule.kind === 'permission' && !principal.permissions.includes(rule.permission)) {
      throw new ForbiddenException(`this needs the ${rule.permission} permission`);
    }
    return true;
  }

  /**
   * Whether the request presents a credential, valid or not: an Authorization header, or the
   * session cookie (which, once its session has ended, is still an attempt: a copied cookie
   * replayed after logout must leave a trace).
   */
  private presentsCredential(req: FastifyRequest): boolean {
    if (req.headers.authorization !== undefined) return true;
    const prefix = `${this.config.session.cookieName}=`;
    return (req.headers.cookie ?? '').split(';').some((c) => c.trimStart().startsWith(prefix));
  }

  private async authenticate(req: FastifyRequest): Promise<Principal> {
    const header = req.headers.authorization;
    if (header !== undefined) return this.fromToken(header);
    return this.fromSession(req);
  }

  private async fromToken(header: string): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const live = match ? await this.tokens.findLive(match[1]!) : null;
    if (!live) throw new UnauthorizedException('the access token is not valid');
    const { token, owner: person } = live;
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.tokens.touch(token.id);
    }
    const owner = this.describe(person, 'token');
    return {
      ...owner,
      // A token never carries more than its owner holds today.
      permissions: owner.permissions.filter((p) => token.permissions.includes(p)),
      tokenId: token.id,
      mfaEnrolmentRequired: false,
    };
  }

  private async fromSession(req: FastifyRequest): Promise<Principal> {
    const session = req.session;
    if (!session?.staffId) throw new UnauthorizedException('sign in first');
    const maxAgeMs = this.config.session.maxHours * 3_600_000;
    if (!session.signedInAt || Date.now() - session.signedInAt > maxAgeMs) {
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
      throw new UnauthorizedException('the session has ended; sign in again');
    }
    const staffId = session.staffId;
    const person = await this.cache.remember(`person:${staffId}`, () =>
      findActivePerson(this.dataSource, staffId),
    );
    if (!person) {
      await new Promise<void>((resolve) => session.destroy(() => resolve()));
      throw new UnauthorizedException('sign in first');
    }
    const method = session.method ?? 'password';
    const principal: Principal = {
      ...this.describe(person, method),
      mfaEnrolmentRequired: this.config.mfaRequired && method === 'password' && !person.mfaEnabled,
    };
    if (UNSAFE_METHODS.has(req.method)) {
      // The session is valid: a refusal for a missing CSRF token is recorded as this person's.
      req.principal = principal;
      this.checkCsrf(req, session.csrfToken);
    }
    return principal;
  }

  private checkCsrf(req: FastifyRequest, expected: string | undefined): void {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site') throw new ForbiddenException('cross-site requests are refused');
    const given = req.headers['x-csrf-token'];
    if (
      typeof given !== 'string' ||
      !expected ||
      given.length !== expected.length ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      throw new ForbiddenException('the X-CSRF-Token header is missing or wrong');
    }
  }

  private describe(person: RequestPerson, method: Principal['method']) {
    const permissions: Permission[] = permissionsOf(person.roles);
    return {
      staffId: person.id,
      email: person.email,
      displayName: person.displayName,
      roles: person.roles,
      permissions,
      method,
      mfaEnabled: person.mfaEnabled,
      revealGrantsUntil: person.revealGrantsUntil,
    };
  }
}
