import { Client } from 'pg';

/**
 * Who runs a bulk operation: one runner at a time, across every instance on the database. Must
 * stay true: a runner works on a request only while `keep()` says it holds it, and whatever
 * happens to the runner (a crash, a dropped connection) the hold goes with it.
 *
 * On a PostgreSQL server it is a session-level advisory lock, taken with pg_try_advisory_lock on a
 * connection of its own and held outside any transaction while the runner works. Chosen over a
 * claim column with a lease because PostgreSQL itself ends the hold the moment the session ends:
 * a runner whose process dies lets go at once, with no lease to renew between batches and no
 * expiry to wait out; and a lease shorter than a slow batch would let a second runner in. It
 * cannot be a transaction-scoped lock (it would end with each batch) nor sit on a pooled
 * connection (they come and go between batches, and would be one fewer for requests). Like the
 * auth cache's LISTEN, it needs real sessions: a proxy pooling by transaction would not do.
 *
 * Should that connection drop while a batch is under way, the hold is gone before the runner
 * knows: it finds out before its next batch and takes the lock again or stops. Meanwhile two
 * runners may overlap on that one batch; an account still changes once (its version is checked)
 * and its bulk_item is settled once (only from pending: BulkOperationsService#settle).
 *
 * On the embedded database there is nothing to take: it lives inside this one process (no other
 * instance can reach it), where BulkOperationsService runs each request once. Nor could there be:
 * the app reaches it through one session, which every connection to it shares, so a lock taken
 * there would be held by everyone at once.
 */
export interface BulkRunClaim {
  /**
   * Whether the request is still this runner's, taking the lock again if its connection dropped:
   * false when another runner holds it now. Throws when the database cannot be reached.
   */
  keep(): Promise<boolean>;
  /** Whether the hold went with its connection (keep() may yet take it again). */
  readonly lost: boolean;
  release(): Promise<void>;
}

/** The first key of the lock: its key space, apart from the audit chain's one-key lock. */
const LOCK_SPACE = `hashtext('bulk_operation')`;

/**
 * SQL true while some session of this database holds the claim on the request whose id (as text)
 * `idSql` is. Only a snapshot, for passing over the requests that live runners hold without a
 * connection of one's own (BulkOperationsService#sweep): taking the claim is what decides.
 */
export function claimHeldSql(idSql: string): string {
  return `EXISTS (SELECT FROM pg_locks l
     WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = ${LOCK_SPACE}::oid AND l.objid = hashtext(${idSql})::oid)`;
}

/**
 * Takes the request for this runner, or answers null when another runner holds it.
 * @param databaseUrl the PostgreSQL server, or undefined for the embedded database
 */
export async function claimBulkRun(
  databaseUrl: string | undefined,
  id: string,
): Promise<BulkRunClaim | null> {
  if (databaseUrl === undefined)
    return { keep: () => Promise.resolve(true), lost: false, release: async () => {} };
  const claim = new ServerClaim(databaseUrl, id);
  return (await claim.take()) ? claim : null;
}

class ServerClaim implements BulkRunClaim {
  private held: { client: Client; lost: boolean } | undefined;

  constructor(
    private readonly url: string,
    private readonly id: string,
  ) {}

  get lost(): boolean {
    return this.held?.lost ?? true;
  }

  async take(): Promise<boolean> {
    const client = new Client({ connectionString: this.url });
    const held = { client, lost: false };
    // An error on an idle connection is emitted, not thrown: unheard, it would end the process.
    client.on('error', () => (held.lost = true));
    client.on('end', () => (held.lost = true));
    await client.connect();
    try {
      // The two-key form: not the key space of the audit chain's one-key lock. A clash of two
      // requests' hashes would only hold one back until the other ends.
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${LOCK_SPACE}, hashtext($1)) AS locked`,
        [this.id],
      );
      if (!rows[0]?.locked) {
        await client.end();
        return false;
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.held = held;
    return true;
  }

  async keep(): Promise<boolean> {
    if (this.held && !this.held.lost) return true;
    await this.release();
    return this.take();
  }

  /** Ending the session ends the lock. */
  async release(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.client.end().catch(() => undefined);
  }
}
