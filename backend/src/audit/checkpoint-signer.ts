import {
  createHash,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * Ed25519 signatures over checkpoints of the audit chain head. The key comes from
 * AUDIT_SIGNING_KEY (a 32-byte seed, base64) or, failing that, is derived from CUSTODIAN_SECRET.
 * Only the public key travels with an exported bundle, so an auditor can check it offline.
 */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Checkpoint {
  seq: string;
  hash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

export function checkpointMessage(seq: string, hash: string, signedAt: string): Buffer {
  return Buffer.from(`custodian-audit-checkpoint:${seq}:${hash}:${signedAt}`, 'utf8');
}

/**
 * What a retention anchor signs: the last removed event, where verification now starts. Its own
 * prefix, so a checkpoint's signature can never pass for an anchor's (which would let someone
 * with write access to the database start verification after events they deleted).
 */
export function anchorMessage(seq: string, hash: string, signedAt: string): Buffer {
  return Buffer.from(`custodian-audit-anchor:${seq}:${hash}:${signedAt}`, 'utf8');
}

export class CheckpointSigner {
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly keyId: string;

  constructor(seedBase64: string | undefined, secret: string) {
    const seed = seedBase64
      ? Buffer.from(seedBase64, 'base64')
      : Buffer.from(hkdfSync('sha256', secret, 'custodian', 'audit-checkpoint-key', 32));
    if (seed.length !== 32) throw new Error('AUDIT_SIGNING_KEY must be 32 bytes, base64-encoded');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKeyPem = createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKeyPem).digest('hex').slice(0, 16);
  }

  sign(seq: string, hash: string, signedAt: string): string {
    return sign(null, checkpointMessage(seq, hash, signedAt), this.privateKey).toString('base64');
  }

  signAnchor(seq: string, hash: string, signedAt: string): string {
    return sign(null, anchorMessage(seq, hash, signedAt), this.privateKey).toString('base64');
  }
}

export function verifyAnchor(
  a: { seq: string; hash: string; signedAt: string; signature: string },
  publicKeyPem: string,
): boolean {
  try {
    return verify(
      null,
      anchorMessage(a.seq, a.hash, a.signedAt),
      publicKeyPem,
      Buffer.from(a.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

export function verifyCheckpoint(c: Checkpoint, publicKeyPem: string): boolean {
  try {
    return verify(
      null,
      checkpointMessage(c.seq, c.hash, c.signedAt),
      publicKeyPem,
      Buffer.from(c.signature, 'base64'),
    );
  } catch {
    return false;
  }
}
