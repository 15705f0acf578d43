import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';

/**
 * Server-side sessions in the database (table staff_session), so every backend instance shares
 * them and logout or deactivation ends them everywhere. Must stay true: the cookie is HttpOnly and
 * SameSite=Strict (Secure and __Host- prefixed in production); the idle timeout is the cookie's and
 * the row's lifetime, renewed on each request; the absolute lifetime is checked by the guard.
 */
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
  return session({
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
}

export async function closeSessionStore(): Promise<void> {
  store?.close?.();
}
