import { AuditAction, maskEmail } from '@custodian/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { createDataSource } from '../database/data-source';
import { useNamedStatements } from '../database/named-query';
import { BENCH_STAFF_EMAIL } from './identity';
import type { AfterLookup } from './load';

/**
 * The direct side of a search by exact email, with the audit event the API records for it
 * (DESIGN: searches on personal data are themselves recorded): the same event, written by
 * AuditService itself, which commits the events of concurrent lookups together as it does in the
 * API. The statement alone is the lookup without its event; against this, the API/direct ratio is
 * what HTTP and the API around the same database work cost.
 */
export async function auditedEmailLookups(
  databaseUrl: string,
  actor: { tokenId: string },
  emails: string[],
): Promise<{ after: AfterLookup; close(): Promise<void> }> {
  // A data source of its own, as the API's events have their own connection to commit on.
  const dataSource = createDataSource(databaseUrl, 2);
  await dataSource.initialize();
  useNamedStatements(dataSource);
  const audit = new AuditService(dataSource);
  return {
    after: (index, rows) =>
      audit.record({
        actor: { type: 'token', id: actor.tokenId, email: BENCH_STAFF_EMAIL, roles: ['support'] },
        action: AuditAction.AccountSearch,
        outcome: 'success',
        details: { by: { email: maskEmail(emails[index]) }, results: rows.length },
        requestId: randomUUID(),
        ip: '127.0.0.1',
        userAgent: null,
      }),
    close: () => dataSource.destroy(),
  };
}
