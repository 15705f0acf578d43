import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditVerification, Page } from '@custodian/shared';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { Query, type PoolClient, type QueryArrayConfig } from 'pg';
import { canonicalJson, GENESIS_HASH } from './canonical';
import { ChainVerifier, type ChainAnchor, type ChainTrust } from './chain-verifier';
import { AuditEventEntity } from './audit-event.entity';
import { hashedContent } from './audit.service';
import type { ListAuditEventsQueryDto } from './dto/list-audit-events.dto';

/**
 * Lists go newest first by (occurred_at, seq): every filter's index ends in those two columns, so
 * a filtered page is one index range read backwards. Ordering by seq alone let the planner walk a
 * whole month's seq index for a rare actor (measured at 10M events: up to 270 ms for an actor and
 * a day, against 0.1 to 0.2 ms this way).
 */
const SORT = 'occurredAt:desc';
const CURSOR_VALUE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\/(\d{1,18})$/;
const VERIFY_BATCH = 10_000;

/** Reading, exporting and verifying the audit log: newest first, keyset-paged by time and seq. */
@Injectable()
export class AuditReaderService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private filtered(
    query: Omit<ListAuditEventsQueryDto, 'limit' | 'cursor'>,
  ): SelectQueryBuilder<AuditEventEntity> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('e');
    if (query.actorId) qb.andWhere('e.actor_id = :actorId', { actorId: query.actorId });
    if (query.actorEmail)
      qb.andWhere('e.actor_email = :actorEmail', { actorEmail: query.actorEmail.toLowerCase() });
    if (query.action?.endsWith('.')) {
      qb.andWhere(`e.action LIKE :prefix`, { prefix: query.action.replace(/[\\%_]/g, '\\$&') + '%' });
    } else if (query.action) qb.andWhere('e.action = :action', { action: query.action });
    if (query.targetType) qb.andWhere('e.target_type = :targetType', { targetType: query.targetType });
    if (query.targetId) qb.andWhere('e.target_id = :targetId', { targetId: query.targetId });
    if (query.outcome) qb.andWhere('e.outcome = :outcome', { outcome: query.outcome });
    if (query.from) qb.andWhere('e.occurred_at >= :from', { from: new Date(query.from) });
    if (query.to) qb.andWhere('e.occurred_at < :to', { to: new Date(query.to) });
    if (query.q) qb.andWhere(`e.reason ILIKE :q`, { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    return qb;
  }

  async list(query: ListAuditEventsQueryDto): Promise<Page<AuditEventEntity>> {
    const qb = this.filtered(query)
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.seq', 'DESC')
      .limit(query.limit + 1);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, SORT);
      const match = CURSOR_VALUE.exec(cursor.value);
      if (!match || Number.isNaN(Date.parse(match[1]!)))
        throw new BadRequestException('cursor is not a valid page cursor');
      qb.andWhere('(e.occurred_at, e.seq) < (:at, :seq)', { at: new Date(match[1]!), seq: match[2] });
    }
    const rows = await qb.getMany();
    const hasMore = rows.length > query.limit;
    const data = hasMore ? rows.slice(0, query.limit) : rows;
    const last = data[data.length - 1];
    return {
      data,
      nextCursor:
        hasMore && last
          ? encodeCursor({ sort: SORT, value: `${last.occurredAt.toISOString()}/${last.seq}`, id: last.id })
          : null,
    };
  }

  async get(id: string): Promise<AuditEventEntity> {
    const event = await this.dataSource.getRepository(AuditEventEntity).findOneBy({ id });
    if (!event) throw new NotFoundException(`audit event ${id} does not exist`);
    return event;
  }

  /** Every matching event, oldest first, a batch at a time: an export never holds the log in memory. */
  async *stream(query: Omit<ListAuditEventsQueryDto, 'limit' | 'cursor'>): AsyncGenerator<AuditEventEntity> {
    let after = '0';
    for (;;) {
      const batch = await this.filtered(query)
        .andWhere('e.seq > :after', { after })
        .orderBy('e.seq', 'ASC')
        .limit(1000)
        .getMany();
      for (const event of batch) yield event;
      if (batch.length < 1000) return;
      after = batch[batch.length - 1]!.seq;
    }
  }

  /**
   * Recomputes the chain from `from` (the first event, unless told otherwise): each event's hash
   * must match its content and its prevHash the hash before it, with no seq missing, and each
   * signed checkpoint must carry a good signature and name an event that exists with that very
   * hash, so a chain cut off or re-hashed after a checkpoint is caught (chain-verifier.ts holds the
   * rules). Names the first event that does not match.
   *
   * It reads every event, so it is built for speed: the database writes the fixed part of each
   * event's canonical JSON (see CHAIN_COLUMNS) and sends rows as arrays, and each row is hashed as
   * it arrives, while the database goes on writing the next ones on another core. Collecting a
   * batch's rows first kept thousands of them alive through the young generation's collections,
   * which copied them over and over: 377 scavenges took 5.0 s of a 13 s run (--trace-gc).
   */
  async verify(
    trust?: ChainTrust,
    from: ChainAnchor = { seq: 1, prevHash: GENESIS_HASH },
  ): Promise<AuditVerification> {
    const chain = new ChainVerifier(trust, from);
    let next = from.seq;
    for (;;) {
      const batch = await this.verifyBatch(chain, next);
      // From the first event the database could not write the canonical JSON for, one at a time.
      for (const row of batch.rest) {
        const [seq, prevHash, hash] = row;
        if (!chain.add(seq, prevHash, hash, rowJson(row) ?? (await this.eventJson(seq)))) break;
      }
      if (batch.rows < VERIFY_BATCH || chain.broken) break;
      next = Number(batch.lastSeq) + 1;
    }
    return chain.result();
  }

  /**
   * Feeds the chain up to VERIFY_BATCH events from seq `from` on, in chain order, each as its row
   * arrives (see CHAIN_COLUMNS), until the chain breaks. From the first event the database could
   * not write the canonical JSON for, which needs a query of its own (eventJson), the rows are
   * kept (`rest`) for the caller. One statement a batch, and the connection goes back to the pool
   * after it: the embedded database has only one, and the app's other queries take turns with
   * verification's.
   */
  private async verifyBatch(chain: ChainVerifier, from: number): Promise<VerifiedBatch> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      return await inChainOrder(client, () => feedBatch(client, chain, from));
    } finally {
      await runner.release();
    }
  }

  /**
   * The canonical JSON of an event the database could not write it for: its moment is outside the
   * years 1 to 9999 (which Date#toISOString writes differently) or has a part below the
   * millisecond. The writer stores JavaScript Dates, whole milliseconds, so such a part was put
   * there afterwards, and the hash (over milliseconds) would not show it: null, a mismatch.
   */
  private async eventJson(seq: string): Promise<string | null> {
    const [row] = (await this.dataSource.query(
      `SELECT date_trunc('milliseconds', e.occurred_at) = e.occurred_at AS "wholeMs" FROM audit_event e WHERE e.seq = $1`,
      [seq],
    )) as { wholeMs: boolean }[];
    const event = await this.dataSource.getRepository(AuditEventEntity).findOneBy({ seq });
    if (!row?.wholeMs || !event) return null;
    try {
      return canonicalJson(hashedContent(event));
    } catch {
      return null; // e.g. a moment of infinity, which no Date holds
    }
  }
}

/**
 * One batch's statement on `client`: each row, as it arrives, is fed to the chain until it breaks,
 * or kept in `rest` from the first event whose canonical JSON the database could not write.
 */
function feedBatch(client: PoolClient, chain: ChainVerifier, from: number): Promise<VerifiedBatch> {
  return new Promise((resolve, reject) => {
    const batch: VerifiedBatch = { rows: 0, rest: [] };
    let mode: 'feed' | 'keep' | 'stop' = 'feed';
    let failure: unknown;
    const config: QueryArrayConfig = {
      text: CHAIN_BATCH_SQL,
      values: [String(from), VERIFY_BATCH],
      rowMode: 'array',
    };
    // With a row listener and no callback, pg hands each row over and keeps none.
    const query = new Query(config);
    query.on('row', (row: ChainRow) => {
      batch.rows++;
      batch.lastSeq = row[0];
      if (mode === 'keep') batch.rest.push(row);
      if (mode !== 'feed') return;
      // Thrown here, an error would surface inside the driver's socket handler, not here.
      try {
        const json = rowJson(row);
        if (json === null) {
          mode = 'keep';
          batch.rest.push(row);
        } else if (!chain.add(row[0], row[1], row[2], json)) {
          mode = 'stop';
        }
      } catch (error) {
        failure = error;
        mode = 'stop';
      }
    });
    query.on('error', reject);
    query.on('end', () => (failure === undefined ? resolve(batch) : reject(failure)));
    client.query(query);
  });
}

/**
 * Runs `read` (statements that read the chain in seq order from a point) with sorting off, in a
 * transaction of its own on `connection` (a pool client or a query runner). Every partition has an
 * index on seq, so the rows can always come merged from them, in order, as far as the LIMIT asks.
 * But PostgreSQL picks the plan by its statistics, and those of the current month's partition lag
 * behind the chain's head: until the next ANALYZE it expects a few rows past the seq it last saw,
 * and reads and sorts all of them instead. Seen in pnpm bench: 343,000 events written since the
 * partition's last ANALYZE (the server ran without autovacuum), each batch of 10,000 read and
 * sorted all of them, 1.27 s instead of 18 ms, and verification fell from 140,000 to 95,000 events
 * a second.
 */
export async function inChainOrder<T>(
  connection: { query(sql: string): Promise<unknown> },
  read: () => Promise<T>,
): Promise<T> {
  await connection.query('BEGIN');
  try {
    await connection.query('SET LOCAL enable_sort = off');
    const result = await read();
    await connection.query('COMMIT');
    return result;
  } catch (error) {
    await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** What a verification batch read: how many rows, the last seq, and the rows left to the caller. */
interface VerifiedBatch {
  rows: number;
  lastSeq?: string;
  rest: ChainRow[];
}

/** The canonical JSON of a chain row; null where the database could not write its fixed parts. */
function rowJson([, , , head, changes, details, tail]: ChainRow): string | null {
  return head !== null && tail !== null
    ? head + canonicalJson(changes) + ',"details":' + canonicalJson(details) + tail
    : null;
}

/** A JSON string of a text column, or null: what canonicalJson writes for it. */
const json = (column: string) => `coalesce(to_json(${column})::text, 'null')`;

/**
 * canonicalJson(hashedContent(event)) (audit.service.ts), written by the database around the two
 * free-form objects, which only JavaScript can put in canonical form: `head` ends at "changes":,
 * then come canonicalJson(changes), ',"details":', canonicalJson(details) and `tail`. The keys are
 * written in canonical (sorted) order; PostgreSQL's to_json escapes text exactly as JSON.stringify
 * does (the same characters, the same \u00xx form); the moment is Date#toISOString's format. Where
 * that format cannot hold the moment, `tail` is null and eventJson takes over. The id (a uuid), the
 * actor type and the outcome (each limited by a CHECK) and the moment hold nothing JSON escapes, so
 * they are quoted without to_json. One concat() a part, not a chain of ||, which copies the growing
 * text at every step: the two together halved the database's time per event (57 to 28 ms a batch
 * of 5,000, EXPLAIN ANALYZE at 10M events).
 * audit-verify.spec.ts checks all this against events written with the writer.
 */
const CHAIN_COLUMNS = `e.seq::text, e.prev_hash, e.hash,
  concat('{"action":', to_json(e.action), ',"actor":{"email":', ${json('e.actor_email')}, ',"id":',
    ${json('e.actor_id')}, ',"roles":', to_json(e.actor_roles), ',"type":"', e.actor_type, '"},"changes":'),
  e.changes, e.details,
  CASE WHEN e.occurred_at >= '0001-01-01 00:00:00+00' AND e.occurred_at < '10000-01-01 00:00:00+00'
            AND date_trunc('milliseconds', e.occurred_at) = e.occurred_at
       THEN concat(',"id":"', e.id, '","ip":', ${json('e.ip')}, ',"occurredAt":"',
         to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '","outcome":"', e.outcome,
         '","reason":', ${json('e.reason')}, ',"requestId":', ${json('e.request_id')}, ',"target":',
         CASE WHEN e.target_type <> '' THEN concat('{"id":', ${json('e.target_id')}, ',"type":', to_json(e.target_type), '}')
              ELSE 'null' END,
         ',"ticket":', ${json('e.ticket')}, ',"userAgent":', ${json('e.user_agent')}, '}') END`;

/** One verification batch: VERIFY_BATCH events from seq $1 on, in chain order. */
export const CHAIN_BATCH_SQL = `SELECT ${CHAIN_COLUMNS} FROM audit_event e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`;

type ChainRow = [
  seq: string,
  prevHash: string,
  hash: string,
  head: string | null,
  changes: unknown,
  details: unknown,
  tail: string | null,
];
