/**
 * The columns the seed fills, per table, in the order the generator appends values. Values of
 * `timestamptz` columns are epoch milliseconds and of `date` columns days since the epoch: the
 * database turns them into times, which costs far less than formatting millions of ISO strings.
 */
export const SEED_TABLES = {
  account: [
    ['id', 'uuid'],
    ['handle', 'text'],
    ['display_name', 'text'],
    ['email', 'text'],
    ['email_verified', 'boolean'],
    ['phone', 'text'],
    ['date_of_birth', 'date'],
    ['address_street', 'text'],
    ['address_city', 'text'],
    ['address_postal_code', 'text'],
    ['address_country', 'text'],
    ['region', 'text'],
    ['status', 'text'],
    ['plan', 'text'],
    ['credit_balance_cents', 'bigint'],
    ['mfa_enabled', 'boolean'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['last_login_at', 'timestamptz'],
    ['last_login_ip', 'text'],
    ['marketing_opt_in', 'boolean'],
    ['version', 'integer'],
  ],
  payment_method: [
    ['id', 'uuid'],
    ['account_id', 'uuid'],
    ['brand', 'text'],
    ['last4', 'text'],
    ['expiry_month', 'smallint'],
    ['expiry_year', 'smallint'],
    ['billing_name', 'text'],
    ['fingerprint', 'text'],
    ['created_at', 'timestamptz'],
  ],
  conversation: [
    ['id', 'uuid'],
    ['account_id', 'uuid'],
    ['subject', 'text'],
    ['participant_handle', 'text'],
    ['message_count', 'integer'],
    ['last_message_at', 'timestamptz'],
    ['created_at', 'timestamptz'],
  ],
  message: [
    ['id', 'uuid'],
    ['conversation_id', 'uuid'],
    ['direction', 'text'],
    ['body', 'text'],
    ['sent_at', 'timestamptz'],
  ],
  customer_session: [
    ['id', 'uuid'],
    ['account_id', 'uuid'],
    ['device', 'text'],
    ['ip', 'text'],
    ['user_agent', 'text'],
    ['created_at', 'timestamptz'],
    ['last_seen_at', 'timestamptz'],
    ['revoked_at', 'timestamptz'],
  ],
  note: [
    ['id', 'uuid'],
    ['account_id', 'uuid'],
    ['author_email', 'text'],
    ['body', 'text'],
    ['created_at', 'timestamptz'],
  ],
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>;

export type SeedTable = keyof typeof SEED_TABLES;

/** Parents before children, the order rows must reach the database in. */
export const SEED_TABLE_ORDER: readonly SeedTable[] = [
  'account',
  'payment_method',
  'conversation',
  'message',
  'customer_session',
  'note',
];

/** Rows inserted, per table. */
export interface SeedSummary {
  accounts: number;
  paymentMethods: number;
  conversations: number;
  messages: number;
  customerSessions: number;
  notes: number;
}

export const SUMMARY_KEYS: Record<SeedTable, keyof SeedSummary> = {
  account: 'accounts',
  payment_method: 'paymentMethods',
  conversation: 'conversations',
  message: 'messages',
  customer_session: 'customerSessions',
  note: 'notes',
};

export type SeedValue = string | number | boolean | null;

/** The rows of one table for one batch, column by column (the shape `unnest` wants). */
export class ColumnBuffer {
  readonly columns: SeedValue[][];
  rowCount = 0;

  constructor(readonly table: SeedTable) {
    this.columns = SEED_TABLES[table].map(() => []);
  }

  /** Appends one row; the values follow the order of SEED_TABLES[table]. */
  push(...values: SeedValue[]): void {
    for (let c = 0; c < values.length; c++) this.columns[c]!.push(values[c]!);
    this.rowCount++;
  }
}

/** One batch of consecutive accounts with all their related rows. */
export class SeedBatch {
  readonly tables: Record<SeedTable, ColumnBuffer>;

  constructor(
    readonly firstAccount: number,
    readonly endAccount: number,
  ) {
    this.tables = Object.fromEntries(SEED_TABLE_ORDER.map((t) => [t, new ColumnBuffer(t)])) as Record<
      SeedTable,
      ColumnBuffer
    >;
  }
}

export function emptySummary(): SeedSummary {
  return { accounts: 0, paymentMethods: 0, conversations: 0, messages: 0, customerSessions: 0, notes: 0 };
}
