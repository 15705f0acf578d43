import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client, type Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { errorFacts } from '../common/error-facts';
import { AUTH_CHANGED_CHANNEL } from '../database/migrations/1765200000000-AuthChangeNotify';

/** Bounds an entry's life should a notice ever go missing unnoticed; notices do the real work. */
const MAX_AGE_MS = 30_000;
/** Entries are found credentials only, so this is never reached in practice; it bounds memory. */
const MAX_ENTRIES = 10_000;
const PING_TIMEOUT_MS = 5_000;
const RETRY_MS = { first: 1_000, max: 30_000 };
const PING_PREFIX = 'ping:';

interface Entry {
  value: object;
  readAt: number;
}

/**
 * The people behind credentials (a token's owner, a session's person), kept between requests so
 * that the guard needs no database round trip for a credential it has already checked: the token
 * lookup was one of the two round trips of an exact-email search.
 *
 * Must stay true:
 * - an entry is used only while this instance listens to the database's notices of auth changes:
 *   a change to staff, personal_access_token or reveal_grant, by any instance or by hand, sends one
 *   at commit (migration AuthChangeNotify), and its arrival empties the cache;
 * - a change this instance makes empties its cache before the statement that commits it returns:
 *   every connection of the app's pool listens too (from its start: data-source.ts), and
 *   PostgreSQL hands a session its own notices ahead of the end of the command. Other instances
 *   hear it through their listener moments later;
 * - listening counts only once the listener has heard a ping sent through the app's pool (a proxy
 *   in transaction pooling would swallow notices); a lost listener empties the cache and turns it
 *   off until it is back;
 * - a read that a notice overtook is answered but not kept;
 * - only found credentials are kept, so a new token works at once, and none for over MAX_AGE_MS.
 * Off on the embedded database, which serves the app through a single connection.
 */
@Injectable()
export class AuthCache implements OnModuleDestroy {
  private readonly logger = new Logger(AuthCache.name);
  private readonly entries = new Map<string, Entry>();
  /** Moves on at each notice: a read started before it must not be kept. */
  private generation = 0;
  private listener: Client | undefined;
  private listening = false;
  private stopped = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly pings = new Map<string, () => void>();
  private readonly hearing = new WeakSet<PoolClient>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Starts listening on a PostgreSQL server; until the first ping comes back, nothing is kept. */
  listen(connectionString: string): void {
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    pool.on('acquire', (client) => this.hearOn(client));
    void this.connect(connectionString);
  }

  get active(): boolean {
    return this.listening;
  }

  /** `load()`'s value, from the cache when it holds one; a null (nothing found) is never kept. */
  async remember<T extends object>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    if (!this.listening) return load();
    const hit = this.entries.get(key);
    if (hit && performance.now() - hit.readAt < MAX_AGE_MS) return hit.value as T;
    const generation = this.generation;
    const readAt = performance.now();
    const value = await load();
    if (value !== null && this.listening && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { value: deepFreeze(value), readAt });
    }
    return value;
  }

  /**
   * Resolves once every change committed before the call has reached this cache: notices arrive in
   * commit order, so hearing a ping sent now means the earlier ones were heard first.
   */
  async settled(): Promise<void> {
    if (!this.listening) throw new Error('the auth cache is not listening');
    await this.ping();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const listener = this.listener;
    this.drop();
    await listener?.end().catch(() => undefined);
  }

  private async connect(connectionString: string): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString, application_name: 'custodian auth listener' });
    this.listener = client;
    client.on('notification', (notice) => this.heard(notice.payload ?? ''));
    const lose = (error?: unknown) => this.lose(client, connectionString, error);
    client.on('error', lose);
    client.on('end', () => lose());
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
      await this.ping();
      if (this.listener !== client) return;
      this.listening = true;
      if (this.failures > 0) this.logger.log('auth cache listening again');
      this.failures = 0;
    } catch (error) {
      lose(error);
    }
  }

  private lose(client: Client, connectionString: string, error?: unknown): void {
    // Ended in any case: a client still starting when the app stopped is no longer `listener`.
    void client.end().catch(() => undefined);
    if (this.listener !== client) return;
    this.drop();
    if (this.stopped) return;
    // Every request reads the database meanwhile, as it would without a cache.
    this.logger.warn({ err: error && errorFacts(error) }, 'auth cache off until its listener reconnects');
    const delay = Math.min(RETRY_MS.max, RETRY_MS.first * 2 ** this.failures++);
    this.retry = setTimeout(() => void this.connect(connectionString), delay);
    this.retry.unref();
  }

  private drop(): void {
    this.listener = undefined;
    this.listening = false;
    this.forget();
    for (const answer of this.pings.values()) answer();
    this.pings.clear();
  }

  /** A pooled connection already listens; its notices count once this instance takes it. */
  private hearOn(client: PoolClient): void {
    if (this.hearing.has(client)) return;
    this.hearing.add(client);
    client.on('notification', (notice) => {
      if (!notice.payload?.startsWith(PING_PREFIX)) this.forget();
    });
  }

  /** The dedicated listener's notices: the only ones a ping counts from. */
  private heard(payload: string): void {
    if (payload.startsWith(PING_PREFIX)) {
      this.pings.get(payload)?.();
      this.pings.delete(payload);
      return;
    }
    this.forget();
  }

  private forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Sends a notice through the app's pool and waits for the listener to hear it. */
  private async ping(): Promise<void> {
    const payload = PING_PREFIX + randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<void>((resolve, reject) => {
      this.pings.set(payload, () => (this.listener ? resolve() : reject(new Error('listener lost'))));
      timer = setTimeout(() => reject(new Error('no notice came back')), PING_TIMEOUT_MS);
    });
    try {
      // Both awaited at once: the listener may be lost (and `heard` fail) while the notice is sent.
      await Promise.all([
        this.dataSource.query('SELECT pg_notify($1, $2)', [AUTH_CHANGED_CHANNEL, payload]),
        heard,
      ]);
    } finally {
      clearTimeout(timer);
      this.pings.delete(payload);
    }
  }
}

/** Entries are shared by concurrent requests: none may change one for the others. */
function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object' && !Object.isFrozen(inner)) deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
