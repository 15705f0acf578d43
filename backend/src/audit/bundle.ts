import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { hashedContent } from './audit.service';
import { chainHash } from './canonical';
import { readCheckpoints } from './checkpoint.service';
import { verifyCheckpoint, type Checkpoint } from './checkpoint-signer';

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
    const qb = dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.seq > :after', { after })
      .orderBy('e.seq', 'ASC')
      .limit(2000);
    if (range.from) qb.andWhere('e.occurred_at >= :from', { from: range.from });
    if (range.to) qb.andWhere('e.occurred_at < :to', { to: range.to });
    if (range.throughSeq) qb.andWhere('e.seq <= :through', { through: range.throughSeq });
    const batch = await qb.getMany();
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

export interface BundleVerification {
  valid: boolean;
  events: number;
  checkpoints: number;
  firstSeq?: string;
  lastSeq?: string;
  firstInvalidSeq?: string;
  problem?: string;
}

/** Checks a bundle offline: each event's hash, each link, each checkpoint's signature and match. */
export async function verifyBundle(file: string): Promise<BundleVerification> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: Header | undefined;
  const hashes = new Map<string, string>();
  const checkpoints: Checkpoint[] = [];
  let prev: { seq: bigint; hash: string } | undefined;
  let firstSeq: string | undefined;
  let events = 0;
  const fail = (seq: string | undefined, problem: string): BundleVerification => ({
    valid: false,
    events,
    checkpoints: checkpoints.length,
    firstSeq,
    lastSeq: prev ? String(prev.seq) : undefined,
    firstInvalidSeq: seq,
    problem,
  });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let item: { type?: string; [k: string]: unknown };
    try {
      item = JSON.parse(line);
    } catch {
      return fail(undefined, 'a line is not valid JSON');
    }
    if (!header) {
      if (item.type !== 'header' || item.format !== BUNDLE_FORMAT)
        return fail(undefined, 'not a Custodian audit bundle');
      header = item as unknown as Header;
      continue;
    }
    if (item.type === 'event') {
      const e = item as unknown as { seq: string; prevHash: string; hash: string; content: unknown };
      const seq = BigInt(e.seq);
      if (prev && seq !== prev.seq + 1n)
        return fail(String(prev.seq + 1n), `event #${prev.seq + 1n} is missing`);
      if (prev && e.prevHash !== prev.hash) return fail(e.seq, 'its link to the previous event is broken');
      if (chainHash(e.prevHash, e.seq, e.content) !== e.hash)
        return fail(e.seq, 'its content does not match its hash');
      firstSeq ??= e.seq;
      hashes.set(e.seq, e.hash);
      prev = { seq, hash: e.hash };
      events++;
    } else if (item.type === 'checkpoint') {
      checkpoints.push(item as unknown as Checkpoint);
    }
  }
  if (!header) return fail(undefined, 'the bundle is empty');
  for (const c of checkpoints) {
    if (!verifyCheckpoint(c, header.publicKey))
      return fail(c.seq, 'its checkpoint signature does not verify');
    if (!prev || BigInt(c.seq) > prev.seq) {
      return fail(String((prev?.seq ?? 0n) + 1n), `events up to #${c.seq} are missing (signed checkpoint)`);
    }
    const hash = hashes.get(c.seq);
    if (hash !== undefined && hash !== c.hash) return fail(c.seq, 'it differs from the signed checkpoint');
  }
  return {
    valid: true,
    events,
    checkpoints: checkpoints.length,
    firstSeq,
    lastSeq: prev ? String(prev.seq) : undefined,
  };
}
