import type { Command } from 'commander';
import { dirname, join, resolve } from 'node:path';
import { CheckpointSigner } from '../audit/checkpoint-signer';
import { applyRetention, ensureAuditPartitions, planRetention, type RetentionPlan } from '../audit/retention';
import { loadConfig, type AppConfig } from '../config/app.config';
import { openDatabase } from './database';

/** Beside the embedded data folder, unless told otherwise. */
function defaultArchiveDir(config: AppConfig): string {
  return config.dataDir === 'memory://'
    ? resolve('.custodian', 'audit-archive')
    : join(dirname(config.dataDir), 'audit-archive');
}

function describePlan(plan: RetentionPlan): string {
  const lines = [
    `Keeping ${plan.months} whole months before this one: events before ${plan.cutoff.toISOString()} go.`,
  ];
  for (const o of plan.old) {
    lines.push(`  ${o.month}  ${o.partition ?? '(in the default partition)'}  ${o.events} events`);
  }
  if (plan.remove) {
    lines.push(
      `${plan.remove.events} events, #${plan.remove.firstSeq} to #${plan.remove.lastSeq}, to archive and remove` +
        ` (the chain's anchor so far: #${plan.previous.seq}).`,
    );
  }
  if (plan.kept > 0) {
    lines.push(
      `${plan.kept} events dated before then but chained after a kept event stay (in the default partition).`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * `custodian audit retention [--dry-run]`: archive, verify, then remove whole months older than
 * AUDIT_RETENTION_MONTHS. Run as the owner of the schema (the application's role may not drop
 * partitions), with the server's CUSTODIAN_SECRET or AUDIT_SIGNING_KEY, since the anchor is signed.
 */
export function registerRetentionCommand(audit: Command): void {
  audit
    .command('retention')
    .description(
      'Archive the events of months older than AUDIT_RETENTION_MONTHS to a verified bundle, anchor the chain, then remove them',
    )
    .option('--dry-run', 'list what would be archived and removed; write and remove nothing')
    .option('--archive-dir <dir>', 'where the bundle is written (default: .custodian/audit-archive)')
    .action(async (options: { dryRun?: boolean; archiveDir?: string }) => {
      const config = loadConfig();
      const months = config.audit.retentionMonths;
      if (months === undefined) {
        process.stdout.write(
          'AUDIT_RETENTION_MONTHS is not set: the audit log is kept forever. Nothing to do.\n',
        );
        return;
      }
      const archiveDir = resolve(options.archiveDir ?? defaultArchiveDir(config));
      const database = await openDatabase(config);
      try {
        if (options.dryRun) {
          const plan = await planRetention(database.dataSource, months);
          process.stdout.write(describePlan(plan));
          process.stdout.write(
            plan.remove
              ? `Would write the bundle to ${join(archiveDir, `audit-${plan.remove.firstSeq}-${plan.remove.lastSeq}.jsonl`)}, verify it, and only then drop the partitions listed.\nDry run: nothing written, nothing removed.\n`
              : 'Nothing to remove.\n',
          );
          return;
        }
        await ensureAuditPartitions(database.dataSource);
        const signer = new CheckpointSigner(config.audit.signingKey, config.secret);
        const result = await applyRetention(database.dataSource, { months, archiveDir, signer });
        process.stdout.write(describePlan(result.plan));
        if (!result.archive) {
          process.stdout.write('Nothing to remove.\n');
          return;
        }
        process.stdout.write(
          `Archived ${result.archive.events} events to ${result.archive.file} (SHA-256 ${result.archive.sha256}, ` +
            `${result.archive.checkpoints} signed checkpoints) and verified it; the chain now starts after #${result.archive.anchorSeq}.\n` +
            `Removed partitions: ${result.droppedPartitions.join(', ') || 'none'}.\n`,
        );
      } finally {
        await database.close();
      }
    });
}
