import 'reflect-metadata';
import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AuthCache } from './auth/auth-cache';
import { closeSessionStore, sessionMiddleware } from './auth/session';
import { OpenApiHolder } from './docs/docs.controller';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuditService } from './audit/audit.service';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { requestIdMiddleware } from './common/request-id';
import { validationExceptionFactory } from './common/validation';
import type { AppConfig } from './config/app.config';
import { useNamedStatements } from './database/named-query';
import { prepareDatabase, type PreparedDatabase } from './database/prepare';

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
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(
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
      { bufferLogs: true },
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
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(
    helmet({
      // HSTS only where the console is served over HTTPS.
      strictTransportSecurity: config.env === 'production',
    }),
  );
  app.set('trust proxy', config.trustProxy);
  // API answers carry personal data (masked or revealed) and must not be kept by the browser or a
  // proxy: no-store on every one, and no ETag (nothing may revalidate them, and hashing every body
  // for one costs CPU on each request).
  app.set('etag', false);
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Room for a bulk operation's 10,000 account ids (~400 kB), and no more.
  app.useBodyParser('json', { limit: '1mb' });
  app.use(sessionMiddleware(config, app.get(DataSource)));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(
    new ValidationPipe({
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
