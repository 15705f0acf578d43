import {
  base,
  cs_CZ,
  da,
  de,
  de_AT,
  en,
  en_AU,
  en_IE,
  en_IN,
  en_NP,
  en_US,
  es,
  fi,
  fr,
  id_ID,
  it,
  type LocaleDefinition,
  nl,
  nl_BE,
  pl,
  pt_PT,
  sv,
  vi,
} from '@faker-js/faker';
import type { Region } from '@custodian/shared';
import type { SeedRandom } from './random';

export interface Country {
  /** ISO 3166-1 alpha-2. */
  code: string;
  region: Region;
  /** Share of all accounts, in per mille; the table sums to 1000. */
  weight: number;
  /** Faker locale whose names, streets, cities and postal codes belong to this country. */
  locale: LocaleDefinition;
  /** The international calling code, without `+`. */
  callingCode: string;
  /** Draws a mobile number in E.164 (`+` calling code, national number without its trunk 0). */
  phone(random: SeedRandom): string;
}

/** `+<calling code><one of the leads><n digits>`: a mobile range of the country's numbering plan. */
function mobile(
  callingCode: string,
  leads: readonly string[],
  digits: number,
): Pick<Country, 'callingCode' | 'phone'> {
  return { callingCode, phone: (random) => `+${callingCode}${random.pick(leads)}${random.digits(digits)}` };
}

/**
 * Where the customers live: EU about 45 %, US 35 %, APAC 20 %. Only countries whose Faker locale
 * writes names in Latin script, so that handles and e-mail addresses can be folded to ASCII.
 */
export const COUNTRIES: readonly Country[] = [
  {
    code: 'DE',
    region: 'EU',
    weight: 100,
    locale: de,
    ...mobile('49', ['151', '160', '170', '176', '157'], 8),
  },
  { code: 'FR', region: 'EU', weight: 75, locale: fr, ...mobile('33', ['6', '7'], 8) },
  { code: 'ES', region: 'EU', weight: 55, locale: es, ...mobile('34', ['6', '7'], 8) },
  {
    code: 'IT',
    region: 'EU',
    weight: 55,
    locale: it,
    ...mobile('39', ['32', '33', '34', '35', '36', '38'], 8),
  },
  { code: 'NL', region: 'EU', weight: 35, locale: nl, ...mobile('31', ['6'], 8) },
  { code: 'PL', region: 'EU', weight: 35, locale: pl, ...mobile('48', ['5', '6', '7', '8'], 8) },
  {
    code: 'SE',
    region: 'EU',
    weight: 20,
    locale: sv,
    ...mobile('46', ['70', '72', '73', '76', '79'], 7),
  },
  {
    code: 'AT',
    region: 'EU',
    weight: 15,
    locale: de_AT,
    ...mobile('43', ['650', '660', '664', '676', '699'], 7),
  },
  {
    code: 'BE',
    region: 'EU',
    weight: 15,
    locale: nl_BE,
    ...mobile('32', ['470', '475', '485', '496'], 6),
  },
  {
    code: 'IE',
    region: 'EU',
    weight: 12,
    locale: en_IE,
    ...mobile('353', ['83', '85', '86', '87', '89'], 7),
  },
  { code: 'PT', region: 'EU', weight: 12, locale: pt_PT, ...mobile('351', ['91', '92', '93', '96'], 7) },
  { code: 'FI', region: 'EU', weight: 8, locale: fi, ...mobile('358', ['40', '44', '45', '50'], 7) },
  { code: 'DK', region: 'EU', weight: 8, locale: da, ...mobile('45', ['2', '3', '4', '5'], 7) },
  {
    code: 'CZ',
    region: 'EU',
    weight: 5,
    locale: cs_CZ,
    ...mobile('420', ['60', '70', '72', '73', '77'], 7),
  },
  {
    code: 'US',
    region: 'US',
    weight: 350,
    locale: en_US,
    callingCode: '1',
    // NANP: area code and exchange both start with 2-9.
    phone: (random) => `+1${random.int(2, 9)}${random.digits(2)}${random.int(2, 9)}${random.digits(6)}`,
  },
  { code: 'AU', region: 'APAC', weight: 70, locale: en_AU, ...mobile('61', ['4'], 8) },
  { code: 'IN', region: 'APAC', weight: 70, locale: en_IN, ...mobile('91', ['6', '7', '8', '9'], 9) },
  {
    code: 'ID',
    region: 'APAC',
    weight: 30,
    locale: id_ID,
    ...mobile('62', ['811', '812', '813', '852', '857'], 8),
  },
  {
    code: 'VN',
    region: 'APAC',
    weight: 20,
    locale: vi,
    ...mobile('84', ['32', '33', '70', '90', '91', '98'], 7),
  },
  { code: 'NP', region: 'APAC', weight: 10, locale: en_NP, ...mobile('977', ['98'], 8) },
];

/** English, then the locale-independent data, behind every country's own locale. */
export const FALLBACK_LOCALES: readonly LocaleDefinition[] = [en, base];
