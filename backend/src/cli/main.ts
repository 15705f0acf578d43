#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/app.config';
import { registerAuditCommand } from './audit.command';
import { registerDbCommand } from './db.command';
import { registerSeedCommand } from './seed.command';
import { registerStaffCommand } from './staff.command';

/** Exit codes: 0 done, 1 failed, 2 bad usage (unknown command, invalid argument or setting). */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/**
 * `custodian <command>`: the operator's command line. Each command lives in its own
 * `<name>.command.ts` and registers itself here.
 */
export function buildProgram(): Command {
  const program = new Command('custodian')
    .description('Custodian command line')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride((error: CommanderError) => {
      throw error;
    });
  registerSeedCommand(program);
  registerStaffCommand(program);
  registerAuditCommand(program);
  registerDbCommand(program);
  return program;
}

/** Runs one command line and resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    // Commander has already printed its own message (or the help) for these.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof Error && error.name === 'AbortError') {
      process.stderr.write(
        'Interrupted. Batches already committed stay (a bulk load commits nothing); run again to continue.\n',
      );
      return 130;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILED;
  }
}

if (require.main === module) {
  void runCli(process.argv).then((code) => {
    process.exitCode = code;
  });
}
