import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditAction, permissionsOf } from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { AuditService, requestFacts } from '../audit/audit.service';
import { newStaff, StaffEntity } from '../staff/staff.entity';
import type { LoginDto } from './dto/login.dto';
import { LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import type { OidcIdentity } from './oidc.service';
import { PasswordService } from './password.service';
import type { Principal } from './principal';

/** One message for an unknown email and a wrong password, so the answer tells nothing. */
export const BAD_CREDENTIALS = 'the email or password is wrong';

/** A person just signed in, and the CSRF token of their new session. */
export interface SignedIn {
  principal: Principal;
  csrfToken: string;
}

/**
 * Sign-in. Must stay true: the rate limit is checked before any hash is computed; an unknown
 * email costs the same argon2 verification as a known one; a new session id is issued at sign-in.
 */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(StaffEntity) private readonly staff: Repository<StaffEntity>,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly mfa: MfaService,
    private readonly audit: AuditService,
  ) {}

  /** A failed or refused sign-in, recorded with the email tried (a staff address, never a customer's). */
  private async recordFailure(req: FastifyRequest, email: string, why: string, person?: StaffEntity | null) {
    await this.audit.record({
      ...requestFacts(req),
      actor: { type: 'staff', id: person?.id ?? null, email, roles: person?.roles ?? [] },
      action: AuditAction.AuthLoginFailed,
      // Refused, whatever the cause: a wrong password is a denial, not a fault of the server's.
      outcome: 'denied',
      details: { why },
    });
  }

  async login(req: FastifyRequest, dto: LoginDto): Promise<SignedIn> {
    const email = dto.email.trim().toLowerCase();
    const ip = req.ip ?? 'unknown';
    try {
      await this.throttle.check(email, ip);
    } catch (error) {
      await this.recordFailure(req, email, 'throttled');
      throw error;
    }

    const person = await this.staff.findOneBy({ email });
    const passwordOk = await this.passwords.verify(person?.passwordHash ?? null, dto.password);
    if (!person || !person.active || !person.passwordHash || !passwordOk) {
      await this.throttle.recordFailure(email, ip);
      await this.recordFailure(req, email, 'bad_credentials', person);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    if (person.mfaEnabled) {
      if (!dto.otp) throw new UnauthorizedException('a one-time code is required (otp)');
      if (!(await this.mfa.verifySignIn(person, dto.otp))) {
        await this.throttle.recordFailure(email, ip);
        await this.recordFailure(req, email, 'bad_otp', person);
        throw new UnauthorizedException('the one-time code is wrong or was already used');
      }
    }
    await this.throttle.recordSuccess(email);
    return this.establish(req, person, 'password');
  }

  /** Signs in (and provisions or updates) the person an identity provider vouched for. */
  async loginWithSso(req: FastifyRequest, identity: OidcIdentity): Promise<void> {
    try {
      await this.ssoSignIn(req, identity);
    } catch (error) {
      await this.recordFailure(req, identity.email, 'sso_refused');
      throw error;
    }
  }

  private async ssoSignIn(req: FastifyRequest, identity: OidcIdentity): Promise<void> {
    if (identity.roles.length === 0) {
      throw new ForbiddenException('your identity provider groups grant no Custodian role');
    }
    let person =
      (await this.staff.findOneBy({ oidcSubject: identity.subject })) ??
      (await this.staff.findOneBy({ email: identity.email }));
    if (person && !person.active) throw new ForbiddenException('your Custodian access is deactivated');
    if (person && person.oidcSubject && person.oidcSubject !== identity.subject) {
      throw new ForbiddenException('this email is linked to another single sign-on identity');
    }
    // The provider's groups are the source of truth for SSO staff, at every sign-in.
    const fromProvider = { displayName: identity.name, oidcSubject: identity.subject, roles: identity.roles };
    person = await this.staff.save(
      person
        ? Object.assign(person, fromProvider, { updatedAt: new Date() })
        : newStaff({ email: identity.email, passwordHash: null, ...fromProvider }),
    );
    await this.establish(req, person, 'sso');
  }

  private async establish(req: FastifyRequest, person: StaffEntity, method: 'password' | 'sso') {
    // A fresh session id at sign-in, so a session id planted before sign-in is worthless.
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    const csrfToken = randomBytes(32).toString('base64url');
    Object.assign(req.session, { staffId: person.id, method, signedInAt: Date.now(), csrfToken });
    await new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
    await this.staff.manager.transaction(async (m) => {
      await m.update(StaffEntity, { id: person.id }, { lastLoginAt: new Date() });
      await this.audit.record(
        {
          ...requestFacts(req),
          actor: { type: 'staff', id: person.id, email: person.email, roles: person.roles },
          action: AuditAction.AuthLogin,
          outcome: 'success',
          details: { method },
        },
        m,
      );
    });
    const principal: Principal = {
      staffId: person.id,
      email: person.email,
      displayName: person.displayName,
      roles: person.roles,
      permissions: permissionsOf(person.roles),
      method,
      mfaEnabled: person.mfaEnabled,
      mfaEnrolmentRequired: this.config.mfaRequired && method === 'password' && !person.mfaEnabled,
    };
    return { principal, csrfToken };
  }
}
