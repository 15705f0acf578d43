import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { errorFacts } from '../common/error-facts';
import { ensureAuditPartitions } from './retention';

const DAY_MS = 86_400_000;

/**
 * Keeps the audit table's monthly partitions made ahead: at start and once a day, this month and
 * the next three. Were this to stop, events would still be written (into the default partition)
 * and moved into their month when its partition is made; see the AuditPartitions migration.
 * Removing old months is not done here: the application's database role cannot, on purpose; the
 * schema owner runs `custodian audit retention`.
 */
@Injectable()
export class AuditPartitionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AuditPartitionsService.name);
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.ensure();
    this.timer = setInterval(() => void this.ensure(), DAY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Never throws: a start must not fail for a partition that the default one stands in for. */
  async ensure(): Promise<number> {
    try {
      // Making a partition locks the whole table for a moment; rather than stall every writer
      // behind a long reader, give up after a few seconds and try again tomorrow (three months ahead
      // leave ninety tries before it matters).
      const made = await this.dataSource.transaction(async (m) => {
        await m.query(`SET LOCAL lock_timeout = '5s'`);
        return ensureAuditPartitions(m);
      });
      if (made > 0) this.logger.log(`made ${made} monthly audit partition(s) ahead`);
      return made;
    } catch (error) {
      this.logger.warn(
        { err: errorFacts(error) },
        'could not make the monthly audit partitions ahead; events go to the default partition meanwhile',
      );
      return 0;
    }
  }
}
