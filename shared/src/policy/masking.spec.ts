import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ADDRESS_DROPPED_PARTS,
  ADDRESS_KEPT_PARTS,
  MASKED,
  MASKERS,
  MASK_KINDS,
  MaskKind,
  MaskedValue,
  REDACTED,
  applyMask,
  isMaskKind,
  maskAddress,
  maskDateOfBirth,
  maskEmail,
  maskFingerprint,
  maskPhone,
  redactText,
} from './masking.js';

/** A masked value as text, so that "does the output contain the input" covers addresses too. */
const asText = (v: MaskedValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Deterministic PRNG (mulberry32), so the generated cases are the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII_ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const UNICODE_LETTERS = 'äöüßéçñøåłżšřαβγδжщюяあいう中文字한국';
const DIGITS = '0123456789';

function randomString(next: () => number, alphabet: string, min: number, max: number): string {
  const chars = Array.from(alphabet);
  const length = min + Math.floor(next() * (max - min + 1));
  let s = '';
  for (let i = 0; i < length; i++) s += chars[Math.floor(next() * chars.length)];
  return s;
}

/** The first input whose masked output contains the clear input, if any. */
function findLeak(
  masker: (v: unknown) => MaskedValue,
  inputs: readonly string[],
  wrap: (s: string) => unknown = (s) => s,
): string | undefined {
  return inputs.find((s) => asText(masker(wrap(s))).includes(s));
}

/** Odd values every masker must survive: wrong types, hostile objects, broken Unicode, huge input. */
function oddValues(): unknown[] {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const throwingGetters = Object.defineProperties(
    {},
    Object.fromEntries(
      ['street', 'city', 'postalCode', 'country', 'toString', 'valueOf'].map((k) => [
        k,
        {
          enumerable: true,
          get() {
            throw new Error(`getter ${k}`);
          },
        },
      ]),
    ),
  );
  class EvilDate extends Date {
    override getTime(): number {
      throw new Error('getTime');
    }
  }
  return [
    undefined,
    null,
    '',
    ' ',
    '\t\n\r',
    '\u00a0\u2009\u3000',
    0,
    -1,
    Number.NaN,
    Infinity,
    10n,
    true,
    false,
    Symbol('s'),
    () => 'fn',
    {},
    [],
    ['jane@example.com'],
    Object.create(null),
    {
      [Symbol.toPrimitive]() {
        throw new Error('toPrimitive');
      },
    },
    throwingGetters,
    revoked.proxy,
    new EvilDate(),
    new Date(Number.NaN),
    '\uD800',
    '\uDC00abc\uD800',
    '\u0000\u0001\u007f',
    '\u202Egnp.exe',
    'a\u0301'.repeat(500),
    '👨‍👩‍👧‍👦'.repeat(100),
    'x'.repeat(1_000_000),
    '@'.repeat(10_000),
    '+' + '1'.repeat(100_000),
  ];
}

describe('maskEmail', () => {
  it('shows the first character, *** and the domain (the example of DESIGN.md)', () => {
    expect(maskEmail('jane.doe@example.com')).toBe('j***@example.com');
  });

  it('does not show a one-letter local part at all', () => {
    expect(maskEmail('a@x.io')).toBe('*@x.io');
    expect(maskEmail('Z@example.com')).toBe('*@example.com');
  });

  it('hides the length of the local part', () => {
    expect(maskEmail('ab@x.io')).toBe('a***@x.io');
    expect(maskEmail('abcdefghijklmnop@x.io')).toBe('a***@x.io');
    expect(maskEmail('a' + 'b'.repeat(300) + '@x.io')).toBe('a***@x.io');
  });

  it('ignores surrounding whitespace and keeps the domain as written', () => {
    expect(maskEmail('  jane@Example.COM \n')).toBe('j***@Example.COM');
    expect(maskEmail('first.last+tag@mail.example.co.uk')).toBe('f***@mail.example.co.uk');
  });

  it('handles internationalised addresses by characters, not UTF-16 units', () => {
    expect(maskEmail('jürgen@exämple.de')).toBe('j***@exämple.de');
    expect(maskEmail('ürsula@exämple.de')).toBe('ü***@exämple.de');
    // Decomposed é (e + combining acute) is one character: never cut in half.
    expect(maskEmail('e\u0301lodie@example.fr')).toBe('\u00e9***@example.fr');
    expect(maskEmail('张伟@例子.中国')).toBe('张***@例子.中国');
    expect(maskEmail('андрей@пример.рф')).toBe('а***@пример.рф');
    expect(maskEmail('user@xn--exmple-cua.de')).toBe('u***@xn--exmple-cua.de');
  });

  it('keeps emoji whole: surrogate pairs, ZWJ sequences and flags', () => {
    expect(maskEmail('😀smile@x.io')).toBe('😀***@x.io');
    expect(maskEmail('👨‍👩‍👧‍👦family@x.io')).toBe('👨‍👩‍👧‍👦***@x.io');
    expect(maskEmail('🇩🇪berlin@x.de')).toBe('🇩🇪***@x.de');
    expect(maskEmail('👍🏽ok@x.io')).toBe('👍🏽***@x.io');
  });

  it('masks a one-character local part whatever that character is', () => {
    expect(maskEmail('😀@x.io')).toBe('*@x.io');
    expect(maskEmail('👨‍👩‍👧‍👦@x.io')).toBe('*@x.io');
    expect(maskEmail('e\u0301@x.io')).toBe('*@x.io');
    expect(maskEmail('ü@x.io')).toBe('*@x.io');
  });

  it('does not show an abnormally long first character (stacked combining marks)', () => {
    expect(maskEmail('a' + '\u0301'.repeat(40) + 'bc@x.io')).toBe('*@x.io');
  });

  it.each([
    'jane',
    'jane.doe.example.com',
    'jane@',
    '@example.com',
    '@',
    'a@b@example.com',
    'jane@@example.com',
    'jane doe@example.com',
    'jane@exa mple.com',
    'jane@localhost',
    'jane@example..com',
    'jane@.example.com',
    'jane@-example.com',
    'jane@example-.com',
    'jane@example.com.',
    'jane@[192.168.0.1]',
    'ja\u0000ne@example.com',
    '\u202Ejane@example.com',
    '\uD800jane@example.com',
    'jane@' + 'a'.repeat(64) + '.com',
    'jane@' + 'abc.'.repeat(70) + 'com',
    'j'.repeat(2000) + '@example.com',
  ])('masks %j whole, since it is not one email address', (input) => {
    expect(maskEmail(input)).toBe(MASKED);
  });

  it.each([undefined, null, '', '   ', 42, {}, ['jane@example.com']])('masks %j whole', (input) => {
    expect(maskEmail(input)).toBe(MASKED);
  });
});

describe('maskPhone', () => {
  it('keeps the last four digits and the length (the example of DESIGN.md)', () => {
    expect(maskPhone('14155551234')).toBe('*******1234');
    expect(maskPhone('+1 (415) 555-1234')).toBe('*******1234');
  });

  it('drops the plus sign and formatting before masking', () => {
    expect(maskPhone('+4915112345678')).toBe('*********5678');
    expect(maskPhone('+49 151 1234-5678')).toBe('*********5678');
    expect(maskPhone('0049 (151) 1234 5678')).toBe('***********5678');
    expect(maskPhone('030/1234.5678')).toBe('*******5678');
    expect(maskPhone('+49\u00a0151\u2009123\u20134567\u2014 8')).toBe('*********5678');
    expect(maskPhone('  +44 20 7946 0958  ')).toBe('********0958');
  });

  it('normalises fullwidth digits and signs', () => {
    expect(maskPhone('＋４９ （１５１） １２３４５６７８')).toBe('*********5678');
  });

  it('keeps digits of other scripts as characters', () => {
    expect(maskPhone('٠١٢٣٤٥٦٧٨٩')).toBe('******٦٧٨٩');
    // Adlam digits lie outside the BMP: each is two UTF-16 units but one digit.
    expect(maskPhone('\u{1E950}\u{1E951}\u{1E952}\u{1E953}\u{1E954}\u{1E955}\u{1E956}')).toBe(
      '***\u{1E953}\u{1E954}\u{1E955}\u{1E956}',
    );
  });

  it('shows the last four from 7 digits on, and nothing below', () => {
    expect(maskPhone('5551234')).toBe('***1234');
    expect(maskPhone('555-123')).toBe(MASKED);
    expect(maskPhone('123456')).toBe(MASKED);
    expect(maskPhone('1234')).toBe(MASKED);
    expect(maskPhone('1')).toBe(MASKED);
    expect(maskPhone('+')).toBe(MASKED);
  });

  it('masks whole anything with more than 17 digits', () => {
    expect(maskPhone('1'.repeat(17))).toBe('*'.repeat(13) + '1111');
    expect(maskPhone('1'.repeat(18))).toBe(MASKED);
  });

  it.each([
    '+1 415 555 1234 ext 5',
    '+1 415 555 1234 x5',
    '555-CALL-NOW',
    '1+4155551234',
    '++4915112345678',
    'tel:+4915112345678',
    '+49 151 1234 5678 #',
    '4915112345678\u0000',
    '\u202E4915112345678',
  ])('masks %j whole, since it is not a phone number', (input) => {
    expect(maskPhone(input)).toBe(MASKED);
  });

  it.each([undefined, null, '', '   ', '()- ./', 4915112345678, {}])('masks %j whole', (input) => {
    expect(maskPhone(input)).toBe(MASKED);
  });
});

describe('maskDateOfBirth', () => {
  it('keeps the year only (the example of DESIGN.md)', () => {
    expect(maskDateOfBirth('1985-04-12')).toBe('1985');
  });

  it('accepts a Date, read in UTC', () => {
    expect(maskDateOfBirth(new Date('1985-04-12'))).toBe('1985');
    expect(maskDateOfBirth(new Date(Date.UTC(1985, 0, 1)))).toBe('1985');
    expect(maskDateOfBirth(new Date(Date.UTC(1985, 11, 31, 23, 59, 59)))).toBe('1985');
  });

  it('accepts an ISO date-time and surrounding whitespace', () => {
    expect(maskDateOfBirth('1985-04-12T00:00:00Z')).toBe('1985');
    expect(maskDateOfBirth('1985-04-12T23:30:00.000+02:00')).toBe('1985');
    expect(maskDateOfBirth(' 1985-04-12\n')).toBe('1985');
    expect(maskDateOfBirth('1985-04-12' + ' '.repeat(1000))).toBe('1985');
  });

  it('knows leap years', () => {
    expect(maskDateOfBirth('2000-02-29')).toBe('2000');
    expect(maskDateOfBirth('1996-02-29')).toBe('1996');
    expect(maskDateOfBirth('1985-02-29')).toBe(MASKED);
    expect(maskDateOfBirth('1900-02-29')).toBe(MASKED);
  });

  it('pads years below 1000 to four digits', () => {
    expect(maskDateOfBirth('0800-01-01')).toBe('0800');
    const d = new Date(0);
    d.setUTCFullYear(800, 0, 1);
    expect(maskDateOfBirth(d)).toBe('0800');
  });

  it.each([
    '1985-13-01',
    '1985-00-10',
    '1985-04-00',
    '1985-04-31',
    '1985-4-12',
    '85-04-12',
    '1985/04/12',
    '12.04.1985',
    'April 12, 1985',
    '1985',
    '0000-01-01',
    '１９８５-04-12',
    '1985-04-12junk',
    '1985-04-12T25',
    '1985-04-12' + 'Z'.repeat(100),
  ])('masks %j whole, since it is not a date', (input) => {
    expect(maskDateOfBirth(input)).toBe(MASKED);
  });

  it.each([undefined, null, '', '  ', 482112000000, new Date(Number.NaN), new Date(8.64e15), {}])(
    'masks %j whole',
    (input) => {
      expect(maskDateOfBirth(input)).toBe(MASKED);
    },
  );
});

describe('maskAddress', () => {
  it('keeps the city and the country only (the example of DESIGN.md)', () => {
    const address = { street: 'Hauptstraße 5', city: 'Berlin', postalCode: '10115', country: 'DE' };
    const masked = maskAddress(address);
    expect(masked).toEqual({ city: 'Berlin', country: 'DE' });
    expect(JSON.stringify(masked)).not.toMatch(/Hauptstraße|10115/);
  });

  it('names the parts it drops and the parts it keeps', () => {
    expect([...ADDRESS_DROPPED_PARTS].sort()).toEqual(['postalCode', 'street']);
    expect([...ADDRESS_KEPT_PARTS].sort()).toEqual(['city', 'country']);
  });

  it('drops any other key too (an allow list, not a deny list)', () => {
    const masked = maskAddress({
      street: '1 Main St',
      line2: 'Apt 4',
      state: 'CA',
      city: 'Springfield',
      country: 'US',
      postalCode: '12345',
    });
    expect(Object.keys(masked).sort()).toEqual(['city', 'country']);
  });

  it('trims parts and leaves out empty or non-string ones', () => {
    expect(maskAddress({ city: '  München ', country: '' })).toEqual({ city: 'München' });
    expect(maskAddress({ city: '   ', country: 'FR' })).toEqual({ country: 'FR' });
    expect(maskAddress({ street: 'Rue X', city: 75001, country: { code: 'FR' } })).toEqual({});
    expect(maskAddress({ street: 'Only a street', postalCode: '10115' })).toEqual({});
  });

  it('returns a new object, never the input itself', () => {
    const address = { city: 'Berlin', country: 'DE' };
    const masked = maskAddress(address);
    expect(masked).toEqual(address);
    expect(masked).not.toBe(address);
  });

  it('does not read an array as an address, even one carrying address keys', () => {
    expect(maskAddress(Object.assign(['Hauptstraße 5'], { city: 'Berlin', country: 'DE' }))).toEqual({});
  });

  it.each([undefined, null, '', 'Hauptstraße 5, 10115 Berlin', 42, [], ['Berlin', 'DE']])(
    'returns {} for %j',
    (input) => {
      expect(maskAddress(input)).toEqual({});
    },
  );
});

describe('redactText', () => {
  it('keeps nothing of free text (the example of DESIGN.md)', () => {
    expect(redactText('Please call me back at +49 151 12345678')).toBe('[redacted]');
    expect(REDACTED).toBe('[redacted]');
  });

  it('does not reveal the length or emptiness', () => {
    const outputs = new Set(['', 'x', 'a longer text', 'y'.repeat(100_000), null, undefined].map(redactText));
    expect([...outputs]).toEqual([REDACTED]);
  });
});

describe('maskFingerprint', () => {
  it('keeps the first four characters and an ellipsis', () => {
    expect(maskFingerprint('Xt5EWLLDS7FJjR1c')).toBe('Xt5E…');
    expect(maskFingerprint(' AB:CD:EF:01:23:45 ')).toBe('AB:C…');
    expect(maskFingerprint('12345678')).toBe('1234…');
  });

  it.each([
    '1234567',
    'abc',
    '',
    '   ',
    'Xt5E WLLDS7FJjR1c',
    'Xt5EWLLDS7FJjR1ç',
    '😀😀😀😀😀😀😀😀',
    'Xt5E\u0000LLDS7F',
  ])('masks %j whole', (input) => {
    expect(maskFingerprint(input)).toBe(MASKED);
  });

  it.each([undefined, null, 12345678, {}])('masks %j whole', (input) => {
    expect(maskFingerprint(input)).toBe(MASKED);
  });
});

describe('MASKERS', () => {
  it('has one masker per kind, the named functions', () => {
    expect(Object.keys(MASKERS).sort()).toEqual([...MASK_KINDS].sort());
    expect(MASKERS).toEqual({
      email: maskEmail,
      phone: maskPhone,
      dateOfBirth: maskDateOfBirth,
      address: maskAddress,
      text: redactText,
      fingerprint: maskFingerprint,
    });
  });

  it('cannot be changed at runtime', () => {
    expect(Object.isFrozen(MASKERS)).toBe(true);
    expect(() => {
      (MASKERS as Record<string, unknown>).email = (v: unknown) => v;
    }).toThrow(TypeError);
    expect(MASKERS.email('jane.doe@example.com')).toBe('j***@example.com');
  });

  it('applies a kind by name, and fails closed on an unknown kind', () => {
    expect(applyMask('email', 'jane.doe@example.com')).toBe('j***@example.com');
    expect(applyMask('phone', '14155551234')).toBe('*******1234');
    expect(applyMask('dateOfBirth', '1985-04-12')).toBe('1985');
    expect(applyMask('address', { street: 'S', city: 'C', country: 'D' })).toEqual({
      city: 'C',
      country: 'D',
    });
    expect(applyMask('text', 'secret')).toBe(REDACTED);
    expect(applyMask('fingerprint', 'Xt5EWLLDS7FJjR1c')).toBe('Xt5E…');
    expect(applyMask('ssn' as MaskKind, '123-45-6789')).toBe(REDACTED);
    expect(applyMask('toString' as MaskKind, 'secret')).toBe(REDACTED);
  });

  it('recognises mask kinds', () => {
    for (const kind of MASK_KINDS) expect(isMaskKind(kind)).toBe(true);
    for (const other of ['Email', 'ssn', '', 'constructor', '__proto__', null, 1])
      expect(isMaskKind(other)).toBe(false);
  });
});

describe('every masker', () => {
  const values = oddValues();

  it.each(MASK_KINDS)('%s never throws and returns a masked value on odd input', (kind) => {
    for (const value of values) {
      let out: MaskedValue | undefined;
      expect(
        () => {
          out = MASKERS[kind](value);
        },
        `${kind} threw on ${String(typeof value)}`,
      ).not.toThrow();
      if (kind === 'address') {
        expect(out).toEqual({});
      } else {
        expect(typeof out).toBe('string');
        if (typeof value === 'string') expect(out).not.toBe(value);
      }
    }
  });

  it('masks a Date whose methods throw and a revoked proxy as ***', () => {
    class EvilDate extends Date {
      override getUTCFullYear(): number {
        throw new Error('getUTCFullYear');
      }
    }
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(maskDateOfBirth(new EvilDate('1985-04-12'))).toBe(MASKED);
    expect(maskDateOfBirth(revoked.proxy)).toBe(MASKED);
    expect(maskAddress(revoked.proxy)).toEqual({});
  });
});

describe('masking never leaks the clear value (generated cases)', () => {
  const next = prng(0xc0ffee);
  const alnum = Array.from({ length: 300 }, () => randomString(next, ASCII_ALNUM, 6, 40));
  const unicode = Array.from({ length: 200 }, () => randomString(next, ASCII_ALNUM + UNICODE_LETTERS, 6, 40));
  const inputs = [...alnum, ...unicode];
  const phones = Array.from({ length: 300 }, () => randomString(next, DIGITS, 7, 17));

  it('generates a few hundred distinct inputs of 6+ characters', () => {
    expect(new Set(inputs).size).toBeGreaterThan(490);
    expect(inputs.every((s) => Array.from(s).length >= 6)).toBe(true);
    expect(unicode.some((s) => Array.from(s).some((c) => (c.codePointAt(0) ?? 0) > 0x7f))).toBe(true);
    expect(new Set(phones).size).toBeGreaterThan(290);
  });

  it('detects a leaky masker (the check itself can fail)', () => {
    expect(findLeak((v) => `${String(v)}…`, inputs)).toBeDefined();
    expect(findLeak((v) => String(v).slice(1), inputs)).toBeUndefined();
    expect(
      findLeak((v) => String(v).slice(0, -4).replace(/./gu, '*') + String(v).slice(-4), phones),
    ).toBeUndefined();
    expect(
      findLeak(
        (v) => String(v).replace(/^./u, '*'),
        phones,
        (s) => `+${s}`,
      ),
    ).toBeDefined();
  });

  it.each(MASK_KINDS)('%s: the output never contains a random input', (kind) => {
    expect(findLeak(MASKERS[kind], inputs)).toBeUndefined();
  });

  it('email: the output never contains a random local part', () => {
    expect(findLeak(maskEmail, inputs, (s) => `${s}@example.com`)).toBeUndefined();
    for (const s of alnum) expect(maskEmail(`${s}@example.com`)).toBe(`${s[0]}***@example.com`);
  });

  it('phone: the output never contains the number, formatted or not', () => {
    expect(findLeak(maskPhone, phones)).toBeUndefined();
    expect(findLeak(maskPhone, phones, (s) => `+${s}`)).toBeUndefined();
    expect(findLeak(maskPhone, phones, (s) => s.replace(/(\d{3})/g, '$1 '))).toBeUndefined();
    for (const s of phones) expect(maskPhone(s)).toBe('*'.repeat(s.length - 4) + s.slice(-4));
  });

  it('fingerprint: the output never contains the fingerprint', () => {
    expect(findLeak(maskFingerprint, alnum)).toBeUndefined();
    for (const s of alnum) expect(maskFingerprint(s)).toBe(s.length >= 8 ? `${s.slice(0, 4)}…` : MASKED);
  });

  it('address: the output never contains the street or the postal code', () => {
    expect(
      findLeak(maskAddress, inputs, (s) => ({ street: s, postalCode: s, city: 'Berlin', country: 'DE' })),
    ).toBeUndefined();
  });
});

describe('plain ASCII values take a shortcut that answers as the general path does', () => {
  const next = prng(0x5eed);
  const PRINTABLE = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
  const LABEL = ASCII_ALNUM + '--';
  const label = () => randomString(next, LABEL, 1, next() < 0.05 ? 70 : 12);
  const domain = () => Array.from({ length: 1 + Math.floor(next() * 3) }, label).join('.');
  const emails = Array.from({ length: 2000 }, () => `${randomString(next, PRINTABLE, 1, 12)}@${domain()}`);
  const phones = Array.from(
    { length: 2000 },
    () => (next() < 0.5 ? '+' : '') + randomString(next, DIGITS, 1, 20),
  );

  // A trailing space, or a space between digits, keeps a value off the shortcut; the general path
  // drops it before masking, so both spellings of one value must be masked alike.
  it('email: with and without a trailing space, the same answer', () => {
    const shortcut = emails.filter((e) => maskEmail(e) !== MASKED);
    expect(shortcut.length).toBeGreaterThan(200);
    expect(emails.length - shortcut.length).toBeGreaterThan(200);
    for (const e of emails) expect(maskEmail(e)).toBe(maskEmail(`${e} `));
  });

  it('phone: with and without a space inside, the same answer', () => {
    const shown = phones.filter((p) => maskPhone(p) !== MASKED);
    expect(shown.length).toBeGreaterThan(200);
    expect(phones.length - shown.length).toBeGreaterThan(200);
    for (const p of phones) expect(maskPhone(p)).toBe(maskPhone(p.replace(/(\d)(\d)$/, '$1 $2')));
  });
});

describe('without Intl.Segmenter (older browsers)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('still slices by whole characters', async () => {
    vi.stubGlobal('Intl', Object.create(Intl, { Segmenter: { value: undefined } }));
    vi.resetModules();
    expect(typeof Intl.Segmenter).toBe('undefined');
    const fallback = await import('./masking.js');
    expect(fallback.maskEmail).not.toBe(maskEmail);

    expect(fallback.maskEmail('jane.doe@example.com')).toBe('j***@example.com');
    expect(fallback.maskEmail('a@x.io')).toBe('*@x.io');
    expect(fallback.maskEmail('jürgen@exämple.de')).toBe('j***@exämple.de');
    expect(fallback.maskEmail('😀smile@x.io')).toBe('😀***@x.io');
    expect(fallback.maskEmail('👨‍👩‍👧‍👦family@x.io')).toBe('👨‍👩‍👧‍👦***@x.io');
    expect(fallback.maskEmail('🇩🇪🇫🇷@x.eu')).toBe('🇩🇪***@x.eu');
    expect(fallback.maskEmail('👍🏽ok@x.io')).toBe('👍🏽***@x.io');
    expect(fallback.maskEmail('a\u0308\u0301b@x.io')).toBe('\u00e4\u0301***@x.io');
    expect(fallback.maskEmail('😀@x.io')).toBe('*@x.io');
    expect(fallback.maskEmail('👨‍👩‍👧‍👦@x.io')).toBe('*@x.io');
    expect(fallback.maskEmail('🇩🇪@x.de')).toBe('*@x.de');
    expect(fallback.maskEmail('e\u0301@x.io')).toBe('*@x.io');
  });
});
