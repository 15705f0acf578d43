import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { Strategy } from 'passport-local';
import { AuthService, BAD_CREDENTIALS, type SignedIn } from './auth.service';
import type { LoginDto } from './dto/login.dto';

/** The strategy's name with passport. */
export const PASSWORD_STRATEGY = 'password';

/**
 * Password sign-in as a passport strategy (passport-local, fields `email` and `password`): it
 * checks the password and, for a person with MFA, the one-time code of the same body, then starts
 * the session (AuthService.login: throttling, audit events, a fresh session id).
 */
@Injectable()
export class PasswordStrategy extends PassportStrategy(Strategy, PASSWORD_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(req: FastifyRequest, email: string, password: string): Promise<SignedIn> {
    const { otp } = req.body as LoginDto;
    return this.auth.login(req, { email, password, otp });
  }
}

/**
 * Runs the password strategy on a sign-in request, through passport's custom callback rather than
 * a guard: guards run before pipes, and the body must first be validated like any other (a 400
 * that names the field, never passport-local's bare "Missing credentials"). A refusal is the
 * strategy's own error (401, 429 with Retry-After), as AuthService threw it.
 *
 * The strategy is this app's instance, not the one registered by name in passport's process-wide
 * registry, which the last app built in a process would own (the tests build several, and close
 * them). Passport hangs a request's outcome callbacks on the strategy object it is given, so each
 * request gets an object of its own, made from the instance.
 */
export function signInWithPassword(
  strategy: PasswordStrategy,
  req: FastifyRequest,
  res: FastifyReply,
): Promise<SignedIn> {
  return new Promise((resolve, reject) => {
    const callback = (error: unknown, signedIn: SignedIn | false) => {
      if (error) reject(error);
      else if (signedIn) resolve(signedIn);
      else reject(new UnauthorizedException(BAD_CREDENTIALS));
    };
    const perRequest = Object.create(strategy) as PasswordStrategy;
    const authenticate = passport.authenticate(perRequest, { session: false }, callback) as (
      req: FastifyRequest,
      res: FastifyReply,
      next: (error?: unknown) => void,
    ) => void;
    authenticate(req, res, reject);
  });
}
