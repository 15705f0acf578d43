import type { Command } from 'commander';
import { AuditReaderService } from '../audit/audit-reader.service';
import { loadConfig } from '../config/app.config';
import { openDatabase } from './database';

/** `custodian audit verify`: recomputes the whole chain and names the first event that does not match. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('Audit log: verification');
  audit
    .command('verify')
    .description('Recompute the hash chain of the audit log; exit code 1 when it is broken')
    .action(async () => {
      const database = await openDatabase(loadConfig());
      try {
        const started = performance.now();
        const result = await new AuditReaderService(database.dataSource).verify();
        const seconds = (performance.now() - started) / 1000;
        const rate = Math.round(result.checked / Math.max(seconds, 0.001));
        if (result.valid) {
          process.stdout.write(
            `Valid: ${result.checked} events verified up to #${result.headSeq} (${result.headHash}) in ${seconds.toFixed(2)} s, ${rate} events/s.\n`,
          );
        } else {
          process.stdout.write(
            `BROKEN at #${result.firstInvalidSeq}: ${result.problem}. ${result.checked} events before it verify.\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await database.close();
      }
    });
}
