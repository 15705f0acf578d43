import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import { existsSync } from 'node:fs';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ApiError } from '@custodian/shared';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AuthCache } from './auth/auth-cache';
import { closeSessionStore, registerSessions } from './auth/session';
import { OpenApiHolder } from './docs/docs.controller';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuditService } from './audit/audit.service';
import { AllExceptionsFilter, describeFastifyError } from './common/all-exceptions.filter';
import { assignRequestId } from './common/request-id';
import { validationExceptionFactory } from './common/validation';
import type { AppConfig } from './config/app.config';
import { useNamedStatements } from './database/named-query';
import { InputShapePipe } from './common/input-shape.pipe';
import { QueryValidationPipe } from './common/query-validation.pipe';
import { prepareDatabase, type PreparedDatabase } from './database/prepare';

/** Requests under /api, matched as the router matches routes: without regard to case. */
const API_PATH = /^\/api(?:[/?]|$)/i;

/**
 * Fastify rather than Express: on this project's 2-core machines Express alone cost 0.2-0.25 ms of
 * CPU per request before any of our code ran, about a fifth of an exact-email lookup (a bare
 * "hello" answer: Express 207-266 us, Node's own http server 36 us, NestJS on Fastify 67 us).
 */
function httpAdapter(config: AppConfig, setHeaders: HeaderSetter): FastifyAdapter {
  return new FastifyAdapter({
    // Express's behaviour, which clients and the console rely on: /API/Accounts/ is /api/accounts.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // TRUST_PROXY_HOPS: the client is the address that many proxies before this server.
    trustProxy: config.trustProxy > 0 ? (_address: string, hop: number) => hop < config.trustProxy : false,
    // Room for a bulk operation's 10,000 account ids (~400 kB), and no more.
    bodyLimit: 1024 * 1024,
    // The request's id: the caller's X-Request-Id when it is plain, else a new one (request-id.ts).
    requestIdHeader: false,
    genReqId: assignRequestId,
    // The router's own refusals (a badly encoded URL, an over-long parameter) come before any route,
    // so before Nest's exception filters: they get the contract's shape here.
    frameworkErrors: (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      setHeaders(req, reply);
      const { statusCode, message } = describeFastifyError(error) ?? {
        statusCode: 400,
        message: 'bad request',
      };
      const body: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
      void reply.status(statusCode).send(body);
    },
  });
}

type HeaderSetter = (req: FastifyRequest, reply: FastifyReply) => void;

/**
 * The headers of every answer: Helmet's, HSTS only where the console is served over HTTPS. API
 * answers carry personal data (masked or revealed) and must not be kept by the browser or a proxy:
 * no-store on every one. (Fastify sets no ETag, so nothing can revalidate them either.)
 */
function answerHeaders(config: AppConfig): HeaderSetter {
  const everyAnswer = helmetHeaders(config);
  const apiAnswer = { ...everyAnswer, 'cache-control': 'no-store' };
  return (req, reply) => {
    reply.headers(API_PATH.test(req.url) ? apiAnswer : everyAnswer);
  };
}

/**
 * Helmet's headers, worked out once. With no directive given as a function (none is here), every
 * one of them is the same on every answer, so running Helmet's eleven middlewares on each request
 * (6% of an exact-email lookup's CPU, each header set on the raw response) redid constant work.
 * Helmet writes through `setHeader` and `removeHeader` alone.
 */
function helmetHeaders(config: AppConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({ strictTransportSecurity: config.env === 'production' })(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

/**
 * A POST without a body but with `Content-Type: application/json` (a logout, an approval) is an
 * empty object, as it always was here; Fastify's own JSON parser refuses it. Anything else goes
 * through that parser, which also refuses `__proto__` and `constructor.prototype` keys.
 */
function acceptEmptyJsonBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Fastify's own: a JSON text sent as text/plain reached the validators as a string. Bodies are JSON.
  fastify.removeContentTypeParser('text/plain');
  app.useBodyParser<RawServerDefault>('application/json', {}, (req, body, done) =>
    body.length === 0 ? done(null, {}) : parseJson(req, body.toString('utf8'), done),
  );
}

export interface CustodianApp {
  app: INestApplication;
  database: PreparedDatabase;
  close(): Promise<void>;
}

/**
 * Builds the whole backend for one config: database ready, API under /api, console at /.
 * `main.ts` listens on it; the integration tests drive it over HTTP without a port.
 */
export async function createApp(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<CustodianApp> {
  const database = await prepareDatabase(config);
  const setHeaders = answerHeaders(config);
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(
        {
          ...config,
          databaseUrl: database.url,
          embeddedDatabase: Boolean(database.embedded),
          // The embedded database runs one statement at a time; its socket multiplexer is not safe with
          // several clients interleaving statements, so the app talks to it through one connection.
          databasePoolSize: database.embedded ? 1 : config.databasePoolSize,
        },
        options.logDestination,
      ),
      httpAdapter(config, setHeaders),
      // Nest's own parsers would add form bodies, which a cross-site HTML form can post without a
      // preflight (a login CSRF); JSON is registered by acceptEmptyJsonBodies.
      { bufferLogs: true, bodyParser: false },
    );
  } catch (error) {
    await database.embedded?.stop();
    throw error;
  }
  app.useLogger(app.get(Logger));
  if (!database.embedded) {
    useNamedStatements(app.get(DataSource));
    app.get(AuthCache).listen(database.url);
  }
  const server = app.getHttpAdapter().getInstance();
  // What the guard tells AllExceptionsFilter about a request (principal.ts), declared up front as
  // Fastify asks, so every request object keeps one shape.
  server.decorateRequest('principal', undefined);
  server.decorateRequest('protectedRoute', false);
  server.decorateRequest('auditRecorded', false);
  server.addHook('onRequest', (req, reply, done) => {
    setHeaders(req, reply);
    done();
  });
  acceptEmptyJsonBodies(app);
  registerSessions(app, config, app.get(DataSource));
  app.setGlobalPrefix('api');
  if (existsSync(config.staticDir)) {
    // The built console: its files only (the console routes in the URL's #fragment, so it has no
    // paths of its own); any other path is the API's 404.
    app.useStaticAssets({ root: config.staticDir, wildcard: false });
  }
  app.useGlobalPipes(
    new InputShapePipe(),
    new QueryValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(app.get(AuditService)));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Custodian API')
      .setDescription('The HTTP contract of the Custodian admin console (see shared/API.md).')
      .setVersion('0.1.0')
      .build(),
  );
  // Served by DocsController, behind the guard like every other route.
  app.get(OpenApiHolder).document = document;

  await app.init();
  await server.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await closeSessionStore();
      await database.embedded?.stop();
    },
  };
}
