import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';

/**
 * Server-side sessions in the database (table staff_session), so every backend instance shares
 * them and logout or deactivation ends them everywhere. Must stay true: the cookie is HttpOnly and
 * SameSite=Strict (Secure and __Host- prefixed in production); the idle timeout is the cookie's and
 * the row's lifetime, renewed on each request (a touch: an UPDATE, so a request still in flight at
 * logout cannot bring the session back); the absolute lifetime is checked by the guard.
 */
const AUTH_ROUTES = /^\/api\/auth(?:[/?]|$)/i;
/** "Who am I": with a token, the guard and the answer read the token alone. */
const WHO_AM_I = /^\/api\/auth\/me\/?(?:\?|$)/i;

type RawRequest = IncomingMessage & { session?: session.Session & Partial<session.SessionData> };

let store: (session.Store & { close?: () => void }) | undefined;

/**
 * express-session as Connect middleware on the raw request (Nest runs middleware on Fastify
 * through middie); handlers read it as `req.session`.
 */
export function registerSessions(
  app: NestFastifyApplication,
  config: AppConfig,
  dataSource: DataSource,
): void {
  const PgStore = connectPgSimple(session);
  // TypeORM's own pool: sessions need no connections of their own.
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  store = new PgStore({
    pool,
    tableName: 'staff_session',
    createTableIfMissing: false,
    pruneSessionInterval: 600,
  });
  const withSession = session({
    name: config.session.cookieName,
    secret: config.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy > 0,
    cookie: {
      httpOnly: true,
      sameSite: 'strict',
      secure: config.session.secureCookie,
      path: '/',
      maxAge: config.session.idleMinutes * 60_000,
    },
  });
  // A request with a personal access token is authenticated by the token alone (the guard never
  // reads a session when an Authorization header is present), so scripts skip the session store.
  // The sign-in routes under /api/auth keep their session whatever headers they get (matched
  // without regard to case, as the router matches them); reading who the token is needs none.
  const tokenOnly = (req: IncomingMessage) =>
    req.headers.authorization !== undefined &&
    (!AUTH_ROUTES.test(req.url ?? '') || (req.method === 'GET' && WHO_AM_I.test(req.url ?? '')));
  app.use((req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) =>
    tokenOnly(req) ? next() : withSession(req as never, res as never, next),
  );
  app
    .getHttpAdapter()
    .getInstance()
    .decorateRequest('session', {
      // Typed as always there, as Express typed it: only a token request has none, and nothing reads
      // the session of a token request.
      getter(this: FastifyRequest) {
        return (this.raw as RawRequest).session as session.Session & Partial<session.SessionData>;
      },
    });
}

export async function closeSessionStore(): Promise<void> {
  store?.close?.();
  store = undefined;
}

/**
 * The Set-Cookie that makes the browser drop its session cookie at logout (express-session leaves
 * the cookie in place). Same name, path and flags, which a __Host- cookie needs to be replaced.
 */
export function expiredSessionCookie(config: AppConfig): string {
  return [
    `${config.session.cookieName}=`,
    'Path=/',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    'HttpOnly',
    'SameSite=Strict',
    ...(config.session.secureCookie ? ['Secure'] : []),
  ].join('; ');
}
