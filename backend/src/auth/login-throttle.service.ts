import { HttpException, HttpStatus, Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';

/**
 * Brute-force protection for sign-in, checked before any password hash is computed.
 * - Per account: nine failures in a row are free; the tenth blocks the account's sign-in for a
 *   minute, and each further failure doubles the wait, up to an hour. Success clears the count.
 * - Per IP: 100 failures within 15 minutes block that address for 15 minutes.
 * With REDIS_URL the counters live in Redis, so every backend instance sees the same ones.
 */
export const ACCOUNT_FREE_FAILURES = 9;
const BASE_BLOCK_SECONDS = 60;
const MAX_BLOCK_SECONDS = 3600;
const IP_FAILURES = 100;
const IP_WINDOW_SECONDS = 15 * 60;

export class TooManyAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super('too many failed sign-in attempts; try again later', HttpStatus.TOO_MANY_REQUESTS);
  }
}

@Injectable()
export class LoginThrottleService implements OnModuleDestroy {
  private readonly redis?: Redis;
  private readonly accountFailures: RateLimiterAbstract;
  private readonly accountBlocks: RateLimiterAbstract;
  private readonly ipFailures: RateLimiterAbstract;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    }
    const make = (keyPrefix: string, points: number, duration: number) =>
      this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points, duration })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    this.accountFailures = make('login_fail_account', 10_000, 24 * 3600);
    this.accountBlocks = make('login_block_account', 1, MAX_BLOCK_SECONDS);
    this.ipFailures = make('login_fail_ip', IP_FAILURES, IP_WINDOW_SECONDS);
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  /** Throws 429 when this account or this address is blocked. */
  async check(email: string, ip: string): Promise<void> {
    const [block, ipRes] = await Promise.all([this.accountBlocks.get(key(email)), this.ipFailures.get(ip)]);
    const waits: number[] = [];
    if (block && block.consumedPoints > 0 && block.msBeforeNext > 0) waits.push(block.msBeforeNext);
    if (ipRes && ipRes.consumedPoints >= IP_FAILURES && ipRes.msBeforeNext > 0)
      waits.push(ipRes.msBeforeNext);
    if (waits.length) throw new TooManyAttemptsException(Math.ceil(Math.max(...waits) / 1000));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const k = key(email);
    const res = await this.accountFailures.penalty(k, 1);
    await this.ipFailures.penalty(ip, 1);
    const excess = res.consumedPoints - ACCOUNT_FREE_FAILURES;
    if (excess > 0) {
      const seconds = Math.min(MAX_BLOCK_SECONDS, BASE_BLOCK_SECONDS * 2 ** (excess - 1));
      await this.accountBlocks.block(k, seconds);
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.accountFailures.delete(key(email));
  }
}

/** Counters are keyed by a hash: the email itself is never written to Redis. */
function key(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
