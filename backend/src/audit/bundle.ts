import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { inChainOrder } from './audit-reader.service';
import { hashedContent } from './audit.service';
import { canonicalJson } from './canonical';
import { ChainVerifier } from './chain-verifier';
import { readCheckpoints } from './checkpoint.service';
import type { Checkpoint, CheckpointSigner } from './checkpoint-signer';

/**
 * An exported audit bundle, as JSON lines: a header with the public key, then every event of the
 * range in chain order (its hashed content, seq, prevHash and hash), then the signed checkpoints
 * that fall in the range. `verifyBundle` checks it with nothing but the file: no database.
 */
export const BUNDLE_FORMAT = 'custodian-audit-bundle/1';

interface Header {
  type: 'header';
  format: string;
  exportedAt: string;
  publicKey: string;
  from: string | null;
  to: string | null;
}

export async function exportBundle(
  dataSource: DataSource,
  file: string,
  publicKeyPem: string,
  range: {
    from?: Date;
    to?: Date;
    /** A stretch of the chain by seq (retention archives exactly the events it removes). */
    afterSeq?: string;
    throughSeq?: string;
  },
): Promise<{ events: number; checkpoints: number }> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: unknown) => {
    if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
  };
  const header: Header = {
    type: 'header',
    format: BUNDLE_FORMAT,
    exportedAt: new Date().toISOString(),
    publicKey: publicKeyPem,
    from: range.from?.toISOString() ?? null,
    to: range.to?.toISOString() ?? null,
  };
  await write(header);
  let after = range.afterSeq ?? '0';
  let events = 0;
  let firstSeq: string | undefined;
  let lastSeq = '0';
  for (;;) {
    const runner = dataSource.createQueryRunner();
    const qb = dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e', runner)
      .where('e.seq > :after', { after })
      .orderBy('e.seq', 'ASC')
      .limit(2000);
    if (range.from) qb.andWhere('e.occurred_at >= :from', { from: range.from });
    if (range.to) qb.andWhere('e.occurred_at < :to', { to: range.to });
    if (range.throughSeq) qb.andWhere('e.seq <= :through', { through: range.throughSeq });
    // In chain order from the seq indexes, whatever the statistics say (see inChainOrder).
    const batch = await inChainOrder(runner, () => qb.getMany()).finally(() => runner.release());
    for (const e of batch) {
      await write({
        type: 'event',
        seq: e.seq,
        prevHash: e.prevHash,
        hash: e.hash,
        content: hashedContent(e),
      });
      firstSeq ??= e.seq;
      lastSeq = e.seq;
      events++;
    }
    if (batch.length < 2000) break;
    after = batch[batch.length - 1]!.seq;
  }
  const checkpoints = (await readCheckpoints(dataSource, firstSeq ?? '0')).filter(
    (c) => BigInt(c.seq) <= BigInt(lastSeq) || (!range.to && !range.throughSeq),
  );
  for (const c of checkpoints) await write({ type: 'checkpoint', ...c });
  out.end();
  await once(out, 'finish');
  return { events, checkpoints: checkpoints.length };
}

/**
 * The bundle `custodian audit export` writes: the unbroken stretch of the chain from the first
 * event at or after `from` to the last one before `to` (by seq: moments need not follow the chain
 * order exactly, and a bundle with holes would not verify), ending on an event it signs a
 * checkpoint for, so that a copy cut short fails verification.
 */
export async function exportSignedBundle(
  dataSource: DataSource,
  file: string,
  signer: CheckpointSigner,
  range: { from?: Date; to?: Date },
): Promise<{ events: number; checkpoints: number; firstSeq?: string; lastSeq?: string }> {
  const [stretch] = (await dataSource.query(
    `SELECT min(e.seq)::text AS first, max(e.seq)::text AS last FROM audit_event e
      WHERE ($1::timestamptz IS NULL OR e.occurred_at >= $1) AND ($2::timestamptz IS NULL OR e.occurred_at < $2)`,
    [range.from ?? null, range.to ?? null],
  )) as { first: string | null; last: string | null }[];
  const { first, last } = stretch ?? { first: null, last: null };
  if (first === null || last === null) {
    return exportBundle(dataSource, file, signer.publicKeyPem, { afterSeq: '0', throughSeq: '0' });
  }
  const [end] = (await dataSource.query(`SELECT hash FROM audit_event WHERE seq = $1`, [last])) as {
    hash: string;
  }[];
  const signedAt = new Date().toISOString();
  await dataSource.query(
    `INSERT INTO audit_checkpoint (seq, hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (seq) DO NOTHING`,
    [last, end!.hash, signedAt, signer.keyId, signer.sign(last, end!.hash, signedAt)],
  );
  const result = await exportBundle(dataSource, file, signer.publicKeyPem, {
    afterSeq: String(BigInt(first) - 1n),
    throughSeq: last,
  });
  return { ...result, firstSeq: first, lastSeq: last };
}

/** The id of a checkpoint key, as CheckpointSigner gives it: what an auditor compares. */
export function publicKeyId(publicKeyPem: string): string {
  return createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 16);
}

export interface BundleVerification {
  valid: boolean;
  /** The id of the key the bundle's checkpoints are signed with. */
  keyId?: string;
  events: number;
  checkpoints: number;
  firstSeq?: string;
  lastSeq?: string;
  firstInvalidSeq?: string;
  problem?: string;
}

/** The lines of a bundle file, parsed, with their line numbers; `skip` leaves a line unparsed. */
async function* bundleLines(
  file: string,
  skip: (line: string) => boolean = () => false,
): AsyncGenerator<{ item: { type?: unknown; [k: string]: unknown } | null; number: number }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim() || skip(line)) continue;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch {
      item = null;
    }
    yield { item: item !== null && typeof item === 'object' ? (item as { type?: unknown }) : null, number };
  }
}

const SEQ = /^[1-9][0-9]{0,15}$/;

function isCheckpoint(line: object): line is Checkpoint {
  const item = line as Record<string, unknown>;
  return (
    typeof item.seq === 'string' &&
    SEQ.test(item.seq) &&
    typeof item.hash === 'string' &&
    typeof item.signedAt === 'string' &&
    typeof item.signature === 'string'
  );
}

/**
 * Checks a bundle offline with the verifier the database's chain is checked by (chain-verifier.ts):
 * each event's hash and link, no seq missing or repeated, each checkpoint's signature and match, and
 * no signed checkpoint past the last event. The checkpoints come last in the file, so a first pass
 * reads them (and the header), and a second checks the events against them as it goes.
 */
export async function verifyBundle(
  file: string,
  trusted: { keyId?: string } = {},
): Promise<BundleVerification> {
  let header: Header | undefined;
  const checkpoints: Checkpoint[] = [];
  const fail = (seq: string | undefined, problem: string): BundleVerification => ({
    valid: false,
    events: 0,
    checkpoints: checkpoints.length,
    firstInvalidSeq: seq,
    problem,
  });
  // Event lines are parsed in the second pass only (an event written otherwise is parsed in both).
  for await (const { item, number } of bundleLines(file, (line) => line.startsWith('{"type":"event",'))) {
    if (!item) return fail(undefined, `line ${number} is not valid JSON`);
    if (!header) {
      if (item.type !== 'header' || item.format !== BUNDLE_FORMAT || typeof item.publicKey !== 'string')
        return fail(undefined, 'not a Custodian audit bundle');
      header = item as unknown as Header;
    } else if (item.type === 'checkpoint') {
      if (!isCheckpoint(item)) return fail(undefined, `line ${number} is not a valid checkpoint`);
      checkpoints.push(item);
    }
  }
  if (!header) return fail(undefined, 'the bundle is empty');
  // The key travels in the bundle, so a forger can re-sign a rewritten copy with a key of their
  // own: only a key the auditor knows to be Custodian's proves anything.
  const keyId = publicKeyId(header.publicKey);
  if (trusted.keyId !== undefined && trusted.keyId !== keyId) {
    return {
      ...fail(undefined, `it is signed with key ${keyId}, not the trusted key ${trusted.keyId}`),
      keyId,
    };
  }

  const chain = new ChainVerifier({ publicKeyPem: header.publicKey, checkpoints });
  let firstSeq: string | undefined;
  for await (const { item, number } of bundleLines(file)) {
    // An event line that is not JSON (cut mid-line, say) is named, not passed over.
    if (!item)
      return {
        ...fail(chain.expectedSeq?.toString(), `line ${number} is not valid JSON`),
        events: chain.checked,
      };
    if (item.type !== 'event') continue;
    const { seq, prevHash, hash, content } = item;
    if (
      typeof seq !== 'string' ||
      !SEQ.test(seq) ||
      typeof prevHash !== 'string' ||
      typeof hash !== 'string'
    ) {
      return {
        ...fail(chain.expectedSeq?.toString(), `line ${number} is not a valid event`),
        events: chain.checked,
      };
    }
    firstSeq ??= seq;
    if (!chain.add(seq, prevHash, hash, canonicalJson(content))) break;
  }
  const result = chain.result();
  // Anyone can write a chain that links up; only a signature says it is Custodian's. A bundle must
  // end on a signed event (the export signs its last one), or its end may have been cut off
  // together with the checkpoints that vouched for it.
  const signed = chain.signedThrough ?? Number(firstSeq ?? 1) - 1;
  if (result.valid && result.checked > 0 && signed !== result.headSeq) {
    return {
      valid: false,
      events: result.checked,
      checkpoints: checkpoints.length,
      firstSeq,
      lastSeq: String(result.headSeq),
      firstInvalidSeq: String(signed + 1),
      problem: `events #${signed + 1} to #${result.headSeq} are not covered by a signed checkpoint`,
      keyId,
    };
  }
  return {
    valid: result.valid,
    events: result.checked,
    checkpoints: checkpoints.length,
    firstSeq,
    lastSeq: result.checked > 0 ? String(result.headSeq) : undefined,
    keyId,
    ...(result.valid ? {} : { firstInvalidSeq: String(result.firstInvalidSeq), problem: result.problem }),
  };
}
