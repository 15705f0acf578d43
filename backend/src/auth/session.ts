import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';

/**
 * Server-side sessions in the database (table staff_session), so every backend instance shares
 * them and logout or deactivation ends them everywhere. Must stay true: the cookie is HttpOnly and
 * SameSite=Strict (Secure and __Host- prefixed in production); the idle timeout is the cookie's and
 * the row's lifetime, renewed on each request; the absolute lifetime is checked by the guard.
 */
const AUTH_ROUTES = /^\/api\/auth(?:\/|$)/i;
/** "Who am I": with a token, the guard and the answer read the token alone. */
const WHO_AM_I = /^\/api\/auth\/me\/?$/i;

let store: session.Store & { close?: () => void };

export function sessionMiddleware(config: AppConfig, dataSource: DataSource): RequestHandler {
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
  const tokenOnly = (req: Request) =>
    !AUTH_ROUTES.test(req.path) || (req.method === 'GET' && WHO_AM_I.test(req.path));
  return (req, res, next) =>
    req.headers.authorization !== undefined && tokenOnly(req) ? next() : withSession(req, res, next);
}

export async function closeSessionStore(): Promise<void> {
  store?.close?.();
}
