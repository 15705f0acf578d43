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
  MinLength,
  validateSync,
} from 'class-validator';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters of random text' })
  CUSTODIAN_SECRET?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, {
    message: 'must be an http(s) origin such as https://custodian.example.com',
  })
  PUBLIC_URL?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(24 * 7)
  SESSION_MAX_HOURS?: number;

  @IsOptional()
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean({ message: 'must be true or false' })
  MFA_REQUIRED?: boolean;

  @IsOptional()
  @Transform(({ value }) => parseBoolean(value))
  @IsBoolean({ message: 'must be true or false' })
  ALLOW_DEMO_STAFF?: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(240)
  REVEAL_MINUTES?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(1000)
  REVEALS_PER_HOUR?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  CHANGE_REQUEST_HOURS?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(60 * 60)
  BULK_SWEEP_SECONDS?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=?$/, { message: 'must be a 32-byte Ed25519 seed, base64-encoded' })
  AUDIT_SIGNING_KEY?: string;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  AUDIT_CHECKPOINT_MINUTES?: number;

  @IsOptional()
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsInt({ message: 'must be a whole number of months (unset keeps the audit log forever)' })
  @Min(1)
  @Max(1200)
  AUDIT_RETENTION_MONTHS?: number;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be the http(s) URL of the identity provider' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  @IsOptional()
  @Matches(
    /^([^=,\s]+=(support|engineer|supervisor|auditor|admin))(,[^=,\s]+=(support|engineer|supervisor|auditor|admin))*$/,
    {
      message: 'must be a comma-separated list of group=role pairs, e.g. custodian-support=support',
    },
  )
  OIDC_GROUP_ROLES?: string;

  @IsOptional()
  @IsString()
  OIDC_GROUPS_CLAIM?: string;

  @IsOptional()
  @IsString()
  OIDC_NAME?: string;
}

function parseBoolean(value: unknown): unknown {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
}

/** Never echoed, in errors or logs. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'CUSTODIAN_SECRET',
  'OIDC_CLIENT_SECRET',
  'REDIS_URL',
  'AUDIT_SIGNING_KEY',
]);

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
  /** Keys sessions and the encryption of MFA secrets. Secret: never logged. */
  secret: string;
  publicUrl: string;
  session: { idleMinutes: number; maxHours: number; cookieName: string; secureCookie: boolean };
  mfaRequired: boolean;
  allowDemoStaff: boolean;
  /** How many reverse proxies in front may set X-Forwarded-For (0: use the socket address). */
  trustProxy: number;
  /** How long a reveal grant lasts, and how many fields one person may reveal per hour. */
  reveal: { minutes: number; perHour: number };
  /** How long a change request waits for a decision before it expires. */
  changeRequestHours: number;
  /**
   * How often an instance takes over the approved bulk operations that no runner holds (their
   * runner died, or lost its claim), as a start does (0: only at a start).
   */
  bulkSweepSeconds: number;
  /**
   * Signed checkpoints of the audit chain head: the signing seed (secret) and how often (0: never);
   * and how many whole months before this one `custodian audit retention` keeps (unset: forever).
   */
  audit: { signingKey?: string; checkpointMinutes: number; retentionMonths?: number };
  redisUrl?: string;
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    groupRoles: Record<string, string[]>;
    groupsClaim: string;
    name: string;
  };
}

export class ConfigError extends Error {}

/**
 * Outside production, without CUSTODIAN_SECRET: a random secret kept beside the embedded data
 * (mode 0600), so the server and the command line sign and check audit checkpoints with the same
 * key and sessions survive a restart. A throwaway database (memory://) gets a throwaway secret.
 */
function localSecret(dataDir: string): string {
  if (dataDir === 'memory://') return randomBytes(32).toString('base64url');
  const file = resolve(dataDir, '..', 'secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return readFileSync(file, 'utf8').trim();
    }
  }
}

function parseGroupRoles(spec: string): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const pair of spec.split(',').filter(Boolean)) {
    const [group, role] = pair.split('=') as [string, string];
    (map[group] ??= []).push(role);
  }
  return map;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable (VAR= in an env file) means unset.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const vars = plainToInstance(EnvironmentVariables, given, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const sentences = errors.map((e) => {
      const why = Object.values(e.constraints ?? {}).join('; ');
      // Never repeat the value of a secret; for the others, showing it helps the operator.
      const shown = SECRET_VARIABLES.has(e.property) ? '' : ` (got "${String(env[e.property])}")`;
      return `Environment variable ${e.property} is invalid${shown}: ${why.replace(e.property + ' ', '')}.`;
    });
    throw new ConfigError(sentences.join('\n'));
  }
  const embedded = !vars.DATABASE_URL;
  const nodeEnv = (vars.NODE_ENV as AppConfig['env']) ?? 'development';
  const production = nodeEnv === 'production';
  const demo = vars.CUSTODIAN_DEMO ?? embedded;
  const problems: string[] = [];
  if (production && !vars.CUSTODIAN_SECRET) {
    problems.push(
      'Environment variable CUSTODIAN_SECRET is required in production (32+ characters of random text).',
    );
  }
  const oidcVars = [vars.OIDC_ISSUER, vars.OIDC_CLIENT_ID];
  if (oidcVars.some(Boolean) && !oidcVars.every(Boolean)) {
    problems.push(
      'Environment variables OIDC_ISSUER and OIDC_CLIENT_ID must be set together for single sign-on.',
    );
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  const port = vars.PORT ?? 3000;
  const dataDir = vars.CUSTODIAN_DATA_DIR ?? resolve(__dirname, '../../../.custodian/data');
  return {
    env: nodeEnv,
    port,
    host: vars.HOST ?? '127.0.0.1',
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    databasePoolSize: vars.DATABASE_POOL_SIZE ?? 10,
    demo,
    demoAccounts: vars.DEMO_ACCOUNTS ?? 2000,
    // Request logs matter in production; on a laptop they would bury the start-up message.
    logLevel: vars.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : production ? 'info' : 'warn'),
    staticDir: resolve(__dirname, '../../../frontend/dist'),
    secret: vars.CUSTODIAN_SECRET ?? localSecret(dataDir),
    publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    session: {
      idleMinutes: vars.SESSION_IDLE_MINUTES ?? 15,
      maxHours: vars.SESSION_MAX_HOURS ?? 12,
      // The __Host- prefix makes the browser refuse the cookie unless it is Secure, host-only and
      // for path /, so a sibling subdomain cannot plant or overwrite it.
      cookieName: production ? '__Host-custodian.sid' : 'custodian.sid',
      secureCookie: production,
    },
    mfaRequired: vars.MFA_REQUIRED ?? !demo,
    allowDemoStaff: vars.ALLOW_DEMO_STAFF ?? false,
    trustProxy: vars.TRUST_PROXY_HOPS ?? 0,
    reveal: { minutes: vars.REVEAL_MINUTES ?? 15, perHour: vars.REVEALS_PER_HOUR ?? 30 },
    changeRequestHours: vars.CHANGE_REQUEST_HOURS ?? 24,
    bulkSweepSeconds: vars.BULK_SWEEP_SECONDS ?? 30,
    audit: {
      signingKey: vars.AUDIT_SIGNING_KEY,
      checkpointMinutes: vars.AUDIT_CHECKPOINT_MINUTES ?? 5,
      retentionMonths: vars.AUDIT_RETENTION_MONTHS,
    },
    redisUrl: vars.REDIS_URL,
    oidc:
      vars.OIDC_ISSUER && vars.OIDC_CLIENT_ID
        ? {
            issuer: vars.OIDC_ISSUER,
            clientId: vars.OIDC_CLIENT_ID,
            clientSecret: vars.OIDC_CLIENT_SECRET,
            groupRoles: parseGroupRoles(vars.OIDC_GROUP_ROLES ?? ''),
            groupsClaim: vars.OIDC_GROUPS_CLAIM ?? 'groups',
            name: vars.OIDC_NAME ?? 'single sign-on',
          }
        : undefined,
  };
}
