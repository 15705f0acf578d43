import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import connectPgSimple from 'connect-pg-simple';
import expressSession from 'express-session';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';

/**
 * Server-side sessions in the database (table staff_session), so every backend instance shares
 * them and logout or deactivation ends them everywhere. Must stay true: the cookie is HttpOnly and
 * SameSite=Strict (Secure and __Host- prefixed in production); the idle timeout is the cookie's and
 * the row's lifetime, renewed on each request; the absolute lifetime is checked by the guard.
 */
const AUTH_ROUTES = /^\/api\/auth(?:[/?]|$)/i;
/** "Who am I": with a token, the guard and the answer read the token alone. */
const WHO_AM_I = /^\/api\/auth\/me\/?(?:\?|$)/i;

type SessionStore = expressSession.Store & { close?: () => void };
let store: SessionStore | undefined;

export async function registerSessions(
  app: NestFastifyApplication,
  config: AppConfig,
  dataSource: DataSource,
): Promise<void> {
  // The store as connect-pg-simple documents it, built on express-session's Store; @fastify/session
  // takes express-session stores as they are.
  const PgStore = connectPgSimple(expressSession);
  // TypeORM's own pool: sessions need no connections of their own.
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  store = new PgStore({
    pool,
    tableName: 'staff_session',
    createTableIfMissing: false,
    pruneSessionInterval: 600,
  });
  await app.register(fastifyCookie);
  // A request with a personal access token is authenticated by the token alone (the guard never
  // reads a session when an Authorization header is present), so a session cookie beside the token
  // is ignored and the store is not read. The sign-in routes under /api/auth keep their session
  // whatever headers they get; reading who the token is needs none.
  const tokenOnly = (req: FastifyRequest) =>
    req.headers.authorization !== undefined &&
    (!AUTH_ROUTES.test(req.url) || (req.method === 'GET' && WHO_AM_I.test(req.url)));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, _reply, done) => {
      if (tokenOnly(req)) delete req.cookies[config.session.cookieName];
      done();
    });
  await app.register(fastifySession, {
    cookieName: config.session.cookieName,
    // The cookie as express-session wrote it ("s:" + the signed id), so sessions outlive the move.
    cookiePrefix: 's:',
    secret: config.secret,
    store,
    saveUninitialized: false,
    rolling: true,
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
  store = undefined;
}
