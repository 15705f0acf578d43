/**
 * Hand-written pools for the free text of the seed. Faker's lorem would be cheaper to write but
 * reads as Latin filler; these read like what support actually sees, and picking from a pool is
 * far cheaper than composing sentences for millions of rows.
 */

/** A device name with the user agent such a device sends; `{v}` takes a version. */
export const DEVICES: ReadonlyArray<{ device: string; userAgent: string; versions: readonly string[] }> = [
  {
    device: 'iPhone',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS {v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    versions: ['16_7', '17_4', '17_6', '18_1', '18_3'],
  },
  {
    device: 'iPad',
    userAgent:
      'Mozilla/5.0 (iPad; CPU OS {v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    versions: ['16_6', '17_5', '18_2'],
  },
  {
    device: 'Android phone',
    userAgent:
      'Mozilla/5.0 (Linux; Android {v}; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    versions: ['12', '13', '14', '15'],
  },
  {
    device: 'Mac',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36',
    versions: ['124.0.0.0', '126.0.0.0', '128.0.0.0', '130.0.0.0'],
  },
  {
    device: 'Mac',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v} Safari/605.1.15',
    versions: ['17.4', '17.6', '18.1'],
  },
  {
    device: 'Windows PC',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36',
    versions: ['124.0.0.0', '126.0.0.0', '128.0.0.0', '130.0.0.0'],
  },
  {
    device: 'Windows PC',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}) Gecko/20100101 Firefox/{v}',
    versions: ['125.0', '128.0', '131.0'],
  },
  {
    device: 'Linux PC',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:{v}) Gecko/20100101 Firefox/{v}',
    versions: ['125.0', '128.0', '131.0'],
  },
  {
    device: 'Android app',
    userAgent: 'CustodianDemo/{v} (Android; okhttp/4.12.0)',
    versions: ['5.12.1', '5.14.0', '6.0.2'],
  },
  {
    device: 'iOS app',
    userAgent: 'CustodianDemo/{v} (iPhone; iOS 17.5; Scale/3.00)',
    versions: ['5.12.1', '5.14.0', '6.0.2'],
  },
];

export const CONVERSATION_SUBJECTS: readonly string[] = [
  'Weekend plans',
  'Dinner on Friday?',
  'Flat viewing',
  'Concert tickets',
  'The bike you listed',
  'Birthday present ideas',
  'Book club',
  'Trip to the coast',
  'Moving boxes',
  'Football on Sunday',
  'Sofa for sale',
  'Team project',
  'Running club',
  'Holiday photos',
  'Rent split',
  'Wedding guest list',
  'Lost keys',
  'Camera lens',
  'Garden tools',
  'Job referral',
];

export const MESSAGE_LINES: readonly string[] = [
  'Hey, are we still on for Saturday?',
  'Yes! Does 7pm work for you?',
  'Sorry, running about ten minutes late.',
  'Is it still available?',
  'Could you do a slightly lower price?',
  'I can pick it up tomorrow after work.',
  'Thanks, that was really helpful.',
  'Sent you the address just now.',
  'Let me check and get back to you tonight.',
  'Perfect, see you there.',
  'Did you get my transfer?',
  'Can you send a few more pictures?',
  'Happy birthday! Hope you have a great day.',
  'I will bring the drinks.',
  'No worries at all.',
  'Works for me, count me in.',
  'What time does it start?',
  'I found your keys in my bag, sorry!',
  'Just booked the tickets.',
  'Can we move it to next week?',
  'Great, thanks again.',
  'Where should we meet?',
  'I left it with your neighbour.',
  'Sounds good to me.',
];

export const NOTE_TEMPLATES: readonly string[] = [
  'Customer called about a duplicate charge on the last invoice; refunded one of them. Ticket {t}.',
  'Customer asked how to export their data; sent the help article. Ticket {t}.',
  'Verified identity over the phone before changing the delivery address. Ticket {t}.',
  'Customer reports not receiving the verification e-mail; resent it. Ticket {t}.',
  'Chargeback opened by the bank; account flagged for review. Ticket {t}.',
  'Goodwill credit issued after the outage. Ticket {t}.',
  'Customer wants to downgrade at the end of the billing period. Ticket {t}.',
  'Suspicious sign-in from a new country; customer confirmed it was them. Ticket {t}.',
  'Customer asked to stop marketing e-mails; opt-out confirmed. Ticket {t}.',
  'Escalated to engineering: sync fails on the Android app. Ticket {t}.',
];

export const NOTE_AUTHORS: readonly string[] = [
  'support@demo.test',
  'support@demo.test',
  'support@demo.test',
  'engineer@demo.test',
  'supervisor@demo.test',
];

export const EMAIL_DOMAINS: ReadonlyArray<readonly [string, number]> = [
  ['example.com', 30],
  ['example.org', 15],
  ['example.net', 15],
  ['mail.test', 15],
  ['inbox.test', 10],
  ['post.test', 8],
  ['webmail.test', 7],
];

export const CARD_BRANDS: ReadonlyArray<readonly [string, number]> = [
  ['visa', 50],
  ['mastercard', 35],
  ['amex', 10],
  ['discover', 5],
];
