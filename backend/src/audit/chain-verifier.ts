import type { AuditVerification } from '@custodian/shared';
import { chainHashOfJson } from './canonical';
import { verifyCheckpoint, type Checkpoint } from './checkpoint-signer';

/**
 * The one set of rules an audit chain is checked by, whether its events come from the database
 * (the API and `custodian audit verify`) or from an exported bundle (`verify-bundle`, offline).
 * Events are fed in chain order; the first that breaks a rule is named, and nothing after it is
 * looked at. What must stay true here: no seq may be skipped or repeated, each event must link to
 * the hash before it and hash to its own content, and every signed checkpoint in range must carry
 * a good signature and name an event that exists with that very hash.
 */

/** Where a verification starts: the seq of the first event and the hash it must link to. */
export interface ChainAnchor {
  seq: number;
  prevHash: string;
}

export interface ChainTrust {
  publicKeyPem: string;
  checkpoints: Checkpoint[];
}

/**
 * What a verification finds, as the API answers it: whether the chain holds, how many events
 * verified, the last one that did (the anchor's seq minus one when none did) and its hash, and the
 * first that does not, with why.
 */
export type ChainResult = AuditVerification;

export class ChainVerifier {
  checked = 0;
  private nextSeq: number | undefined;
  private prevHash: string | undefined;
  private readonly checkpoints: Checkpoint[];
  /** The next checkpoint not yet reached, and its seq as a number (Infinity when none is left). */
  private checkpointIndex = 0;
  private checkpointSeq = Infinity;
  private failure: { seq: number; problem: string } | undefined;
  private lastSigned: number | undefined;

  /** Without an anchor, the first event is taken on trust (a bundle of a range starts anywhere). */
  constructor(
    private readonly trust: ChainTrust | undefined,
    anchor?: ChainAnchor,
  ) {
    this.checkpoints = [...(trust?.checkpoints ?? [])].sort((a, b) => Number(a.seq) - Number(b.seq));
    if (anchor) this.startAt(anchor);
  }

  /** The seq the next event must have (unknown before the first event of an unanchored chain). */
  get expectedSeq(): number | undefined {
    return this.nextSeq;
  }

  /** The newest event so far that a signed checkpoint vouches for. */
  get signedThrough(): number | undefined {
    return this.lastSigned;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  private startAt(anchor: ChainAnchor): void {
    this.nextSeq = anchor.seq;
    this.prevHash = anchor.prevHash;
    // Checkpoints before the start vouch for events outside what is checked.
    while (
      this.checkpointIndex < this.checkpoints.length &&
      Number(this.checkpoints[this.checkpointIndex]!.seq) < anchor.seq
    ) {
      this.checkpointIndex++;
    }
    this.checkpointSeq = this.nextCheckpointSeq();
  }

  private nextCheckpointSeq(): number {
    const next = this.checkpoints[this.checkpointIndex];
    return next ? Number(next.seq) : Infinity;
  }

  fail(seq: number, problem: string): false {
    this.failure ??= { seq, problem };
    return false;
  }

  /**
   * The next event in chain order, with the canonical JSON of its hashed content (null when its
   * stored content cannot even be turned into it). False once the chain is broken.
   */
  add(seqText: string, prevHash: string, hash: string, canonical: string | null): boolean {
    if (this.failure) return false;
    const seq = Number(seqText);
    if (this.nextSeq === undefined) this.startAt({ seq, prevHash });
    const expected = this.nextSeq!;
    // The event found where another was expected is the one named (as the API always has).
    if (seq !== expected) {
      return this.fail(
        seq,
        seq > expected ? `event #${expected} is missing` : `event #${seq} appears again, out of order`,
      );
    }
    if (prevHash !== this.prevHash) return this.fail(seq, 'its link to the previous event is broken');
    if (canonical === null || chainHashOfJson(prevHash, seqText, canonical) !== hash) {
      return this.fail(seq, 'its content does not match its hash');
    }
    while (seq === this.checkpointSeq) {
      const checkpoint = this.checkpoints[this.checkpointIndex]!;
      if (!verifyCheckpoint(checkpoint, this.trust!.publicKeyPem)) {
        return this.fail(seq, 'its checkpoint signature does not verify');
      }
      if (checkpoint.hash !== hash) return this.fail(seq, 'it differs from the signed checkpoint');
      this.lastSigned = seq;
      this.checkpointIndex++;
      this.checkpointSeq = this.nextCheckpointSeq();
    }
    this.prevHash = hash;
    this.nextSeq = seq + 1;
    this.checked++;
    return true;
  }

  /** After the last event: a signed checkpoint beyond it means the newest events were cut off. */
  result(): ChainResult {
    if (!this.failure && this.checkpointIndex < this.checkpoints.length) {
      const checkpoint = this.checkpoints[this.checkpointIndex]!;
      const seq = Number(checkpoint.seq);
      if (!verifyCheckpoint(checkpoint, this.trust!.publicKeyPem)) {
        this.fail(seq, 'its checkpoint signature does not verify');
      } else if (this.nextSeq === undefined) {
        this.fail(seq, `events up to #${seq} are missing (signed checkpoint)`);
      } else {
        this.fail(this.nextSeq, `events #${this.nextSeq} to #${seq} are missing (signed checkpoint)`);
      }
    }
    const head = {
      checked: this.checked,
      headSeq: (this.nextSeq ?? 1) - 1,
      headHash: this.prevHash ?? '',
    };
    return this.failure
      ? { valid: false, ...head, firstInvalidSeq: this.failure.seq, problem: this.failure.problem }
      : { valid: true, ...head };
  }
}
