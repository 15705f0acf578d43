import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { errorFacts } from '../common/error-facts';

const EVERY_MS = 60_000;

/**
 * audit_pending keeps one dead row for every audit event written: each is moved into the chain
 * when its transaction commits (migration AuditSealAtCommit). A PostgreSQL server's autovacuum
 * clears them; the embedded database runs no autovacuum (nor does a server with it turned off),
 * and the table would grow by about a kilobyte an event for good. So the backend vacuums that
 * one small table itself, at start and every minute: a few milliseconds. The vacuum keeps the
 * table's pages (migration AuditPendingKeepsPages), so the first one after the table has grown
 * also has the seal's statements planned anew, as index lookups. Where its database
 * role does not own the table, PostgreSQL skips it with a notice, and autovacuum does the work.
 */
@Injectable()
export class AuditPendingVacuumService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditPendingVacuumService.name);
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    void this.vacuum();
    this.timer = setInterval(() => void this.vacuum(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Never throws: a missed vacuum costs disk space, not correctness. */
  async vacuum(): Promise<void> {
    try {
      await this.dataSource.query(`VACUUM audit_pending`);
    } catch (error) {
      this.logger.warn({ err: errorFacts(error) }, 'could not vacuum audit_pending');
    }
  }
}
