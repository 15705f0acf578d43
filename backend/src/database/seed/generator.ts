import { Faker } from '@faker-js/faker';
import type { AccountStatus, Plan } from '@custodian/shared';
import {
  CARD_BRANDS,
  CONVERSATION_SUBJECTS,
  DEVICES,
  EMAIL_DOMAINS,
  MESSAGE_LINES,
  NOTE_AUTHORS,
  NOTE_TEMPLATES,
} from './catalog';
import { COUNTRIES, FALLBACK_LOCALES } from './countries';
import { SeedRandom, Weighted } from './random';
import type { SeedBatch } from './tables';

/**
 * "Now" for the seed. Fixed, so that the same seed gives the same rows on any day: accounts are
 * created over the five years before it, and no timestamp lies after it.
 */
export const SEED_REFERENCE_TIME = Date.UTC(2025, 10, 26);

const MINUTE = 60_000;
const DAY = 86_400_000;
const YEAR = 365.25 * DAY;

const countryTable = new Weighted(COUNTRIES.map((c, index) => [index, c.weight] as const));
const statusTable = new Weighted<AccountStatus>([
  ['active', 90],
  ['suspended', 7],
  ['closed', 3],
]);
const planTable = new Weighted<Plan>([
  ['free', 68],
  ['plus', 22],
  ['pro', 10],
]);
const domainTable = new Weighted(EMAIL_DOMAINS);
const brandTable = new Weighted(CARD_BRANDS);
const paymentMethodCount = new Weighted([
  [0, 35],
  [1, 45],
  [2, 20],
]);
const sessionCount = new Weighted([
  [0, 25],
  [1, 35],
  [2, 25],
  [3, 15],
]);
const conversationCount = new Weighted([
  [0, 50],
  [1, 35],
  [2, 15],
]);
const noteCount = new Weighted([
  [0, 60],
  [1, 30],
  [2, 10],
]);

type NamePattern = (first: string, last: string) => string;
const handlePatterns = new Weighted<NamePattern>([
  [(f, l) => `${f}.${l}`, 45],
  [(f, l) => f + l, 15],
  [(f, l) => f.charAt(0) + l, 15],
  [(f, l) => `${f}_${l}`, 10],
  [(f, l) => `${l}.${f}`, 8],
  [(f) => f, 7],
]);
const emailPatterns = new Weighted<NamePattern | null>([
  [null, 40], // the handle itself
  [(f, l) => `${f}.${l}`, 30],
  [(f, l) => `${f.charAt(0)}.${l}`, 15],
  [(f, l) => f + l.charAt(0), 10],
  [(f, l) => `${l}.${f}`, 5],
]);

const FOLD_SPECIAL: Record<string, string> = {
  ł: 'l',
  đ: 'd',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  þ: 'th',
  ð: 'd',
  ı: 'i',
};

/**
 * Generates account number i of a seed and its related rows. Account i depends on (seed, i)
 * alone: the generator re-seeds its random source for every account, so the first thousand
 * accounts of a million-account seed are the thousand accounts of a thousand-account seed, and a
 * top-up continues exactly where an earlier run stopped.
 */
export class CustomerGenerator {
  private readonly random = new SeedRandom();
  /** One Faker per country, all drawing from the one random source. */
  private readonly fakers: Faker[];
  private readonly folded = new Map<string, string>();

  constructor(private readonly seed: number) {
    this.fakers = COUNTRIES.map(
      (c) => new Faker({ locale: [c.locale, ...FALLBACK_LOCALES], randomizer: this.random }),
    );
  }

  /** The id account i gets: what a top-up checks to know the existing rows are this seed's. */
  accountId(i: number): string {
    this.random.seed([this.seed, i]);
    return this.random.uuid();
  }

  /** Appends account i and everything that belongs to it to the batch. */
  generate(i: number, batch: SeedBatch): void {
    const r = this.random;
    r.seed([this.seed, i]);
    const id = r.uuid();
    const countryIndex = countryTable.sample(r);
    const country = COUNTRIES[countryIndex]!;
    const faker = this.fakers[countryIndex]!;

    const sex = r.chance(0.5) ? 'female' : 'male';
    const firstName = faker.person.firstName(sex);
    const lastName = faker.person.lastName(sex);
    const displayName = `${firstName} ${lastName}`;
    const first = this.fold(firstName) || 'user';
    const last = this.fold(lastName) || 'customer';

    // A digit-free prefix followed by i: unique however the prefixes collide.
    const handle = handlePatterns.sample(r)(first, last.slice(0, 16)) + i;
    const emailPattern = emailPatterns.sample(r);
    const email = `${emailPattern ? emailPattern(first, last) + i : handle}@${domainTable.sample(r)}`;
    const phone = r.chance(0.92) ? country.phone(r) : null;
    // 18 to 90 years old, most between 25 and 55.
    const age = 18 * YEAR + DAY + Math.pow(r.next(), 1.6) * (72 * YEAR - 2 * DAY);
    const dateOfBirth = Math.floor((SEED_REFERENCE_TIME - age) / DAY);
    const street = faker.location.streetAddress();
    const city = faker.location.city();
    const postalCode = faker.location.zipCode();

    const status = statusTable.sample(r);
    const plan = planTable.sample(r);
    const credit = r.chance(0.2) ? r.int(1, 400) * 50 : 0;
    const mfa = r.chance(plan === 'pro' ? 0.6 : 0.25);
    const createdAt = SEED_REFERENCE_TIME - Math.floor(r.next() * 5 * YEAR);
    const lifetime = SEED_REFERENCE_TIME - createdAt;
    const updatedAt = createdAt + Math.floor(r.next() * lifetime);
    // Active customers mostly came back recently; suspended and closed ones stopped at some point.
    const sinceLogin = status === 'active' ? Math.pow(r.next(), 3) : r.next();
    const lastLoginAt = r.chance(0.1) ? null : SEED_REFERENCE_TIME - Math.floor(sinceLogin * lifetime);
    const lastLoginIp = lastLoginAt === null ? null : this.ip();

    batch.tables.account.push(
      id,
      handle,
      displayName,
      email.toLowerCase(),
      r.chance(0.93),
      phone,
      dateOfBirth,
      street,
      city,
      postalCode,
      country.code,
      country.region,
      status,
      plan,
      credit,
      mfa,
      createdAt,
      updatedAt,
      lastLoginAt,
      lastLoginIp,
      r.chance(0.35),
      1,
    );

    const paymentMethods = paymentMethodCount.sample(r);
    for (let n = 0; n < paymentMethods; n++) {
      let brand = brandTable.sample(r);
      if (brand === 'discover' && country.code !== 'US') brand = 'visa';
      batch.tables.payment_method.push(
        r.uuid(),
        id,
        brand,
        r.digits(4),
        r.int(1, 12),
        r.int(2024, 2031),
        r.chance(0.9) ? displayName : faker.person.fullName(),
        this.fingerprint(),
        createdAt + Math.floor(r.next() * lifetime),
      );
    }

    const sessions = sessionCount.sample(r);
    for (let n = 0; n < sessions; n++) {
      const kind = r.pick(DEVICES);
      const createdSession = Math.max(createdAt, SEED_REFERENCE_TIME - 400 * DAY);
      const sessionStart = createdSession + Math.floor(r.next() * (SEED_REFERENCE_TIME - createdSession));
      const lastSeen = sessionStart + Math.floor(r.next() * (SEED_REFERENCE_TIME - sessionStart));
      const revoked =
        status === 'closed' || r.chance(0.2)
          ? lastSeen + Math.floor(r.next() * (SEED_REFERENCE_TIME - lastSeen))
          : null;
      batch.tables.customer_session.push(
        r.uuid(),
        id,
        kind.device,
        r.chance(0.05) ? null : r.chance(0.85) ? this.ip() : this.ipv6(),
        kind.userAgent.replaceAll('{v}', r.pick(kind.versions)),
        sessionStart,
        lastSeen,
        revoked,
      );
    }

    const conversations = conversationCount.sample(r);
    for (let n = 0; n < conversations; n++) {
      const conversationId = r.uuid();
      const messages = r.int(1, 4);
      // Up to four messages two days apart at most: start early enough to stay before "now".
      let sentAt = createdAt + Math.floor(r.next() * Math.max(0, lifetime - 8 * DAY));
      const startedAt = sentAt;
      let direction = r.chance(0.5) ? 'sent' : 'received';
      for (let m = 0; m < messages; m++) {
        if (m > 0) {
          sentAt += r.int(1, 2 * 24 * 60) * MINUTE;
          if (r.chance(0.7)) direction = direction === 'sent' ? 'received' : 'sent';
        }
        batch.tables.message.push(r.uuid(), conversationId, direction, r.pick(MESSAGE_LINES), sentAt);
      }
      const participant = this.fold(faker.person.firstName()) + '.' + this.fold(faker.person.lastName());
      batch.tables.conversation.push(
        conversationId,
        id,
        r.pick(CONVERSATION_SUBJECTS),
        (participant.length > 1 ? participant : 'friend') + r.int(1, 9999),
        messages,
        sentAt,
        startedAt,
      );
    }

    // Suspended and closed accounts always carry a note saying why.
    const notes = Math.max(noteCount.sample(r), status === 'active' ? 0 : 1);
    for (let n = 0; n < notes; n++) {
      const body = r.pick(NOTE_TEMPLATES).replace('{t}', `SUP-${r.int(10000, 99999)}`);
      batch.tables.note.push(
        r.uuid(),
        id,
        r.pick(NOTE_AUTHORS),
        body,
        createdAt + Math.floor(r.next() * lifetime),
      );
    }
  }

  /** Lower-case ASCII letters only: "Łukasik" → "lukasik", "Zamudio Mena" → "zamudiomena". */
  private fold(name: string): string {
    let folded = this.folded.get(name);
    if (folded === undefined) {
      folded = name
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[łđøæœßþðı]/g, (c) => FOLD_SPECIAL[c] ?? '')
        .replace(/[^a-z]/g, '');
      this.folded.set(name, folded);
    }
    return folded;
  }

  private ip(): string {
    const r = this.random;
    return `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
  }

  private ipv6(): string {
    const r = this.random;
    let out = '2001:db8';
    for (let g = 0; g < 6; g++) out += ':' + r.int(0, 0xffff).toString(16);
    return out;
  }

  /** A card fingerprint like a payment processor's: 16 letters and digits. */
  private fingerprint(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let c = 0; c < 16; c++) out += alphabet.charAt(this.random.int(0, alphabet.length - 1));
    return out;
  }
}
