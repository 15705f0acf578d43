import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AccessModule } from './access/access.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { DocsController, OpenApiHolder } from './docs/docs.controller';
import type { AppConfig } from './config/app.config';
import { APP_CONFIG } from './config/config.token';
import { loggerParams } from './config/logger.config';
import { dataSourceOptions } from './database/data-source';
import { AUTH_CHANGED_CHANNEL } from './database/migrations/1765200000000-AuthChangeNotify';
import { HealthController } from './health/health.controller';
import { OperationsModule } from './operations/operations.module';
import { StaffModule } from './staff/staff.module';

@Module({})
export class AppModule {
  /** @param config validated config whose databaseUrl is already resolved (embedded or server) */
  static forRoot(
    config: AppConfig & { databaseUrl: string; embeddedDatabase: boolean },
    logDestination?: DestinationStream,
  ): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(config, logDestination)),
        TypeOrmModule.forRoot(
          dataSourceOptions(
            config.databaseUrl,
            config.databasePoolSize,
            // AuthCache hears on every connection the changes this instance commits (none embedded).
            config.embeddedDatabase ? [] : [AUTH_CHANGED_CHANNEL],
          ),
        ),
        AuditModule,
        AuthModule,
        AccessModule,
        StaffModule,
        AccountsModule,
        OperationsModule,
      ],
      controllers: [HealthController, DocsController],
      providers: [{ provide: APP_CONFIG, useValue: config }, OpenApiHolder],
      exports: [APP_CONFIG, OpenApiHolder],
    };
  }
}
