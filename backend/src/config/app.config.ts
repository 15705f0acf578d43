import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { resolve } from 'node:path';

/**
 * Every environment variable the backend reads, validated once at boot. A bad value stops the
 * process with a sentence that names the variable. DATABASE_URL is a secret (it may carry a
 * password): it is never logged or echoed in an error.
 */
class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  CUSTODIAN_DATA_DIR?: string;

  @IsOptional()
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean({ message: 'must be true or false' })
  CUSTODIAN_DEMO?: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  DEMO_ACCOUNTS?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE?: number;
}

function parseBoolean(value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** A PostgreSQL server, or undefined for the embedded database. */
  databaseUrl?: string;
  /** Where the embedded database keeps its files; 'memory://' keeps nothing. */
  dataDir: string;
  databasePoolSize: number;
  /** Seed demo data into an empty database at start (default: on for the embedded database). */
  demo: boolean;
  demoAccounts: number;
  logLevel: string;
  /** The built console, served at `/` when present. */
  staticDir: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = plainToInstance(EnvironmentVariables, { ...env }, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const sentences = errors.map((e) => {
      const why = Object.values(e.constraints ?? {}).join('; ');
      // Never repeat the value of a secret; for the others, showing it helps the operator.
      const shown = e.property === 'DATABASE_URL' ? '' : ` (got "${String(env[e.property])}")`;
      return `Environment variable ${e.property} is invalid${shown}: ${why.replace(e.property + ' ', '')}.`;
    });
    throw new ConfigError(sentences.join('\n'));
  }
  const embedded = !vars.DATABASE_URL;
  return {
    env: (vars.NODE_ENV as AppConfig['env']) ?? 'development',
    port: vars.PORT ?? 3000,
    host: vars.HOST ?? '127.0.0.1',
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.CUSTODIAN_DATA_DIR ?? resolve(__dirname, '../../../.custodian/data'),
    databasePoolSize: vars.DATABASE_POOL_SIZE ?? 10,
    demo: vars.CUSTODIAN_DEMO ?? embedded,
    demoAccounts: vars.DEMO_ACCOUNTS ?? 2000,
    logLevel: vars.LOG_LEVEL ?? (vars.NODE_ENV === 'test' ? 'silent' : 'info'),
    staticDir: resolve(__dirname, '../../../frontend/dist'),
  };
}
