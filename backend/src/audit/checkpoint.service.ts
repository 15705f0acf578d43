import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { CheckpointSigner, type Checkpoint } from './checkpoint-signer';

/**
 * Writes a signed checkpoint of the chain head every few minutes (when the head moved). A chain
 * cut off at the end, or rewritten and re-hashed from some event on, no longer matches the last
 * checkpoint, and the signature cannot be forged without the key.
 */
@Injectable()
export class CheckpointService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(CheckpointService.name);
  private timer?: NodeJS.Timeout;
  readonly signer: CheckpointSigner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.signer = new CheckpointSigner(config.audit.signingKey, config.secret);
  }

  onModuleInit(): void {
    const minutes = this.config.audit.checkpointMinutes;
    if (minutes <= 0) return;
    this.timer = setInterval(() => {
      this.write().catch((error: unknown) =>
        this.logger.error({ err: { name: (error as Error)?.name } }, 'audit checkpoint failed'),
      );
    }, minutes * 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Signs the current head unless it is already checkpointed; returns the checkpoint, if any. */
  async write(): Promise<Checkpoint | null> {
    return writeCheckpoint(this.dataSource, this.signer);
  }
}

export async function writeCheckpoint(
  dataSource: DataSource,
  signer: CheckpointSigner,
): Promise<Checkpoint | null> {
  // Ordered by the bigint column itself (an alias of its text form would sort "9" after "26").
  const [head] = (await dataSource.query(
    `SELECT e.seq::text AS seq, e.hash FROM audit_event e ORDER BY e.seq DESC LIMIT 1`,
  )) as {
    seq: string;
    hash: string;
  }[];
  if (!head) return null;
  const signedAt = new Date().toISOString();
  const checkpoint: Checkpoint = {
    seq: head.seq,
    hash: head.hash,
    signedAt,
    keyId: signer.keyId,
    signature: signer.sign(head.seq, head.hash, signedAt),
  };
  const rows: unknown[] = await dataSource.query(
    `INSERT INTO audit_checkpoint (seq, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (seq) DO NOTHING RETURNING seq`,
    [checkpoint.seq, checkpoint.hash, signedAt, checkpoint.keyId, checkpoint.signature],
  );
  return rows.length ? checkpoint : null;
}

export async function readCheckpoints(dataSource: DataSource, fromSeq = '0'): Promise<Checkpoint[]> {
  const rows = (await dataSource.query(
    `SELECT seq::text AS seq, hash, signed_at, key_id, signature FROM audit_checkpoint WHERE seq >= $1 ORDER BY seq`,
    [fromSeq],
  )) as { seq: string; hash: string; signed_at: Date; key_id: string; signature: string }[];
  return rows.map((r) => ({
    seq: r.seq,
    hash: r.hash,
    signedAt: new Date(r.signed_at).toISOString(),
    keyId: r.key_id,
    signature: r.signature,
  }));
}
