import { PAGE_LIMIT_DEFAULT } from '@custodian/shared';
import { DataSource, type Logger } from 'typeorm';
import { AuditReaderService } from '../audit/audit-reader.service';
import type { ListAuditEventsQueryDto } from '../audit/dto/list-audit-events.dto';
import { dataSourceOptions } from '../database/data-source';

export const AUDIT_READ_KEYS = [
  'auditActorDay',
  'auditActorEmailDay',
  'auditTarget',
  'auditHistory',
] as const;
export type AuditReadKey = (typeof AUDIT_READ_KEYS)[number];

export interface AuditReadScenario {
  key: AuditReadKey;
  title: string;
  /** API paths to cycle through, and the statement the API runs for each (same order). */
  paths: string[];
  statements: Array<{ sql: string; params: unknown[] }>;
}

/** Points spread evenly over the chain, each naming an actor, a day and maybe an account. */
const SAMPLE_POINTS = 2_000;
const MAX_INPUTS = 500;
const DAY = 86_400_000;

type Filters = Omit<ListAuditEventsQueryDto, 'limit' | 'cursor'>;

/**
 * The audit log's read scenarios with inputs taken from the seeded events: an actor's events of
 * one day (by id, and by email as an auditor types it), and one account's events through the list
 * filter and through the account's history route.
 *
 * The direct statements are the ones AuditReaderService.list builds for the same filters, caught
 * from a private data source's query log while the service itself runs once per input, so they
 * stay the API's SQL whatever the service does to it.
 */
export async function buildAuditReadScenarios(
  dataSource: DataSource,
  databaseUrl: string,
): Promise<AuditReadScenario[]> {
  const [max]: Array<{ head: string | null }> = await dataSource.query(
    'SELECT max(seq)::text AS head FROM audit_event',
  );
  const last = Number(max?.head ?? 0);
  if (last === 0) throw new Error('The benchmark database holds no audit events.');
  const points = Array.from({ length: Math.min(SAMPLE_POINTS, last) }, (_, i) =>
    String(1 + Math.floor((i * last) / Math.min(SAMPLE_POINTS, last))),
  );
  const rows: Array<{
    actor_id: string;
    actor_email: string | null;
    occurred_at: Date;
    target_id: string | null;
  }> = await dataSource.query(
    `SELECT actor_id, actor_email, occurred_at, CASE WHEN target_type = 'account' THEN target_id END AS target_id
         FROM audit_event
        WHERE seq = ANY ($1::bigint[]) AND actor_type = 'staff' AND actor_id IS NOT NULL
        ORDER BY seq`,
    [points],
  );
  const unique = <T>(items: T[], key: (item: T) => string) => [
    ...new Map(items.map((item) => [key(item), item])).values(),
  ];
  const days = unique(
    rows.map((r) => ({ actorId: r.actor_id, actorEmail: r.actor_email, day: dayOf(r.occurred_at) })),
    (d) => `${d.actorId}/${d.day.from}`,
  ).slice(0, MAX_INPUTS);
  const accounts = unique(
    rows.flatMap((r) => (r.target_id ? [r.target_id] : [])),
    (id) => id,
  ).slice(0, MAX_INPUTS);

  const capture = new CapturingLogger();
  const capturing = new DataSource({
    ...dataSourceOptions(databaseUrl, 1),
    logging: ['query'],
    logger: capture,
  });
  await capturing.initialize();
  try {
    const reader = new AuditReaderService(capturing);
    const statementOf = async (filters: Filters) => {
      capture.last = undefined;
      await reader.list({ ...filters, limit: PAGE_LIMIT_DEFAULT } as ListAuditEventsQueryDto);
      if (!capture.last) throw new Error('The audit list ran no query to compare with.');
      return capture.last;
    };
    const scenario = async (
      key: AuditReadKey,
      title: string,
      cases: Array<{ path: string; filters: Filters }>,
    ): Promise<AuditReadScenario> => {
      const statements: AuditReadScenario['statements'] = [];
      for (const c of cases) statements.push(await statementOf(c.filters));
      return { key, title, paths: cases.map((c) => c.path), statements };
    };
    const list = (params: Record<string, string>) =>
      `/api/audit-events?${new URLSearchParams(params).toString()}`;
    return [
      await scenario(
        'auditActorDay',
        `audit: actorId + one day (${days.length} staff-days)`,
        days.map(({ actorId, day }) => ({
          path: list({ actorId, ...day }),
          filters: { actorId, ...day },
        })),
      ),
      await scenario(
        'auditActorEmailDay',
        `audit: actorEmail + one day (${days.length} staff-days)`,
        days
          .filter((d) => d.actorEmail)
          .map(({ actorEmail, day }) => ({
            path: list({ actorEmail: actorEmail!, ...day }),
            filters: { actorEmail: actorEmail!, ...day },
          })),
      ),
      await scenario(
        'auditTarget',
        `audit: target account (${accounts.length} accounts)`,
        accounts.map((targetId) => ({
          path: list({ targetType: 'account', targetId }),
          filters: { targetType: 'account', targetId },
        })),
      ),
      await scenario(
        'auditHistory',
        `account history (${accounts.length} accounts)`,
        accounts.map((targetId) => ({
          path: `/api/accounts/${targetId}/history`,
          filters: { targetType: 'account', targetId },
        })),
      ),
    ].filter((s) => s.paths.length > 0);
  } finally {
    await capturing.destroy();
  }
}

/** The UTC day an event happened on, as the console's date range sends it. */
function dayOf(moment: Date): { from: string; to: string } {
  const start = Math.floor(moment.getTime() / DAY) * DAY;
  return { from: new Date(start).toISOString(), to: new Date(start + DAY).toISOString() };
}

/** Keeps the last query TypeORM ran, with its parameters. */
class CapturingLogger implements Logger {
  last: { sql: string; params: unknown[] } | undefined;
  logQuery(query: string, parameters?: unknown): void {
    this.last = { sql: query, params: Array.isArray(parameters) ? parameters : [] };
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
