import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { AuditReaderService } from '../audit/audit-reader.service';
import { exportSignedBundle, verifyBundle } from '../audit/bundle';
import { readCheckpoints } from '../audit/checkpoint.service';
import { CheckpointSigner } from '../audit/checkpoint-signer';
import { chainStart } from '../audit/retention';
import { loadConfig } from '../config/app.config';
import { openDatabase } from './database';
import { registerRetentionCommand } from './retention.command';

function keyId(value: string): string {
  if (!/^[0-9a-f]{16}$/.test(value)) throw new InvalidArgumentError('Expected 16 hexadecimal digits.');
  return value;
}

function isoDate(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError('Expected an ISO 8601 date or time, e.g. 2026-11-01.');
  }
  return d;
}

/**
 * `custodian audit verify | export | verify-bundle`: recompute the chain (naming the first event that
 * does not match), export a range as a bundle with the signed checkpoints and the public key, and
 * check such a bundle offline.
 */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('Audit log: verification, export and retention');
  audit
    .command('verify')
    .description('Recompute the hash chain of the audit log; exit code 1 when it is broken')
    .action(async () => {
      const database = await openDatabase(loadConfig());
      try {
        const started = performance.now();
        const config = loadConfig();
        const signer = new CheckpointSigner(config.audit.signingKey, config.secret);
        const checkpoints = await readCheckpoints(database.dataSource);
        // After a retention the chain starts right after its signed anchor.
        const result = await new AuditReaderService(database.dataSource).verify(
          { publicKeyPem: signer.publicKeyPem, checkpoints },
          await chainStart(database.dataSource, signer.publicKeyPem),
        );
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

  audit
    .command('export')
    .description(
      'Write the stretch of the chain a time range covers, ending on a signed event, with the signed checkpoints and the public key, to a bundle file',
    )
    .option('--from <date>', 'from the first event at or after this moment (ISO 8601)', isoDate)
    .option('--to <date>', 'to the last event before this moment (ISO 8601)', isoDate)
    .requiredOption('--out <file>', 'the bundle file to write (JSON lines)')
    .action(async (options: { from?: Date; to?: Date; out: string }) => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const signer = new CheckpointSigner(config.audit.signingKey, config.secret);
        const result = await exportSignedBundle(database.dataSource, options.out, signer, options);
        const stretch = result.events ? ` (#${result.firstSeq} to #${result.lastSeq})` : '';
        process.stdout.write(
          `Wrote ${result.events} events${stretch} and ${result.checkpoints} signed checkpoints to ${options.out}, signed with key ${signer.keyId}.\n`,
        );
      } finally {
        await database.close();
      }
    });
  registerRetentionCommand(audit);
  audit
    .command('verify-bundle <file>')
    .description('Check an exported bundle offline (no database): hashes, links, checkpoint signatures')
    .option(
      '--key-id <id>',
      "require the checkpoints to be signed with this key (as 'audit export' prints it)",
      keyId,
    )
    .action(async (file: string, options: { keyId?: string }) => {
      const result = await verifyBundle(file, options);
      if (result.valid) {
        // The key is the bundle's own: without --key-id, the auditor compares it by eye.
        const key = options.keyId
          ? `the trusted key ${result.keyId}`
          : `key ${result.keyId} (not checked: see --key-id)`;
        process.stdout.write(
          `Valid: ${result.events} events (#${result.firstSeq ?? '-'} to #${result.lastSeq ?? '-'}) and ${result.checkpoints} signed checkpoints, signed with ${key}.\n`,
        );
      } else {
        process.stdout.write(`BROKEN at #${result.firstInvalidSeq ?? '?'}: ${result.problem}.\n`);
        process.exitCode = 1;
      }
    });
}
