import type { Randomizer } from '@faker-js/faker';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** MurmurHash3's finaliser: spreads every input bit over the whole 32-bit word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * sfc32, a small and fast seedable generator, shared by every Faker instance of one seed run so
 * that seeding it once (per account) fixes everything generated after it. Faker's own Mersenne
 * Twister would do, but re-seeding it costs a 624-word initialisation and the seed re-seeds once
 * per account, so that account i depends on (seed, i) alone.
 */
export class SeedRandom implements Randomizer {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number | number[] = 0) {
    this.seed(seed);
  }

  readonly seed = (seed: number | number[]): void => {
    const words = typeof seed === 'number' ? [seed] : seed;
    let h = 0x9e3779b9;
    let a = 0x243f6a88;
    let b = 0x85a308d3;
    let c = 0x13198a2e;
    for (const word of words) {
      // Integers beyond 32 bits still count in full: low word and high word.
      const lo = word >>> 0;
      const hi = Math.floor(word / 0x100000000) >>> 0;
      h = fmix32(h ^ lo) + 0x6c078965;
      h = fmix32(h ^ hi);
      a = fmix32(a ^ h);
      b = fmix32(b + h);
      c = fmix32(c ^ Math.imul(h, 0x27d4eb2d));
    }
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.uint32();
  };

  /** A float in [0, 1) with 32 bits of randomness. Faker calls it unbound, hence the arrow. */
  readonly next = (): number => this.uint32() / 4294967296;

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `count` decimal digits (leading zeros allowed). */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return out;
  }

  /** A UUID shaped like a version 4 one, but drawn from this generator: reproducible. */
  uuid(): string {
    const w0 = this.uint32();
    const w1 = this.uint32();
    const w2 = (this.uint32() & 0xffff0fff) | 0x4000; // version 4
    const w3 = ((this.uint32() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
    const w4 = this.uint32();
    return (
      HEX[w0 >>> 24]! +
      HEX[(w0 >>> 16) & 255]! +
      HEX[(w0 >>> 8) & 255]! +
      HEX[w0 & 255]! +
      '-' +
      HEX[(w1 >>> 24) & 255]! +
      HEX[(w1 >>> 16) & 255]! +
      '-' +
      HEX[(w2 >>> 8) & 255]! +
      HEX[w2 & 255]! +
      '-' +
      HEX[w3 >>> 24]! +
      HEX[(w3 >>> 16) & 255]! +
      '-' +
      HEX[(w3 >>> 8) & 255]! +
      HEX[w3 & 255]! +
      HEX[w4 >>> 24]! +
      HEX[(w4 >>> 16) & 255]! +
      HEX[(w4 >>> 8) & 255]! +
      HEX[w4 & 255]!
    );
  }
}

/** A weighted choice table, built once and sampled many times. */
export class Weighted<T> {
  private readonly values: T[];
  private readonly bounds: number[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let acc = 0;
    this.values = entries.map(([value]) => value);
    this.bounds = entries.map(([, weight]) => (acc += weight / total));
    this.bounds[this.bounds.length - 1] = 1;
  }

  sample(random: SeedRandom): T {
    const r = random.next();
    for (let i = 0; i < this.bounds.length; i++) if (r < this.bounds[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
}
