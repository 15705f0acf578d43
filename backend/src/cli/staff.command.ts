import { InvalidArgumentError, type Command } from 'commander';
import { AuditAction, ROLES, isRole } from '@custodian/shared';
import { userInfo } from 'node:os';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../auth/password.service';
import { loadConfig } from '../config/app.config';
import { newStaff, StaffEntity } from '../staff/staff.entity';
import { generatePassword } from '../staff/staff.service';
import { openDatabase } from './database';

function role(value: string, previous: string[] = []): string[] {
  if (!isRole(value)) throw new InvalidArgumentError(`Expected one of: ${ROLES.join(', ')}.`);
  return [...previous, value];
}

function email(value: string): string {
  const v = value.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw new InvalidArgumentError('Expected an email address.');
  return v;
}

/**
 * `custodian staff create`: the bootstrap of an empty installation. It creates people only while
 * no active admin exists (demo staff aside); after that, admins add people through the console,
 * where each change is reviewed and audited. The event names the operating-system user who ran it.
 */
export function registerStaffCommand(program: Command): void {
  const staff = program.command('staff').description('Bootstrap staff on a new installation');
  staff
    .command('create')
    .description('Create a person (only while no active admin exists); prints a one-time password')
    .requiredOption('--email <email>', 'their email address', email)
    .requiredOption('--role <role>', `a role (repeat for several): ${ROLES.join(', ')}`, role)
    .option('--name <name>', 'display name (default: the email)')
    .action(async (options: { email: string; role: string[]; name?: string }) => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const ds = database.dataSource;
        const [{ n }] = await ds.query(
          `SELECT count(*)::int AS n FROM staff WHERE active AND NOT is_demo AND 'admin' = ANY (roles)`,
        );
        if (n > 0) {
          throw new Error(
            'an active admin exists already: add people through the console (Staff), not the command line',
          );
        }
        if (await ds.getRepository(StaffEntity).existsBy({ email: options.email })) {
          throw new Error(`a staff member with email ${options.email} exists already`);
        }
        const password = generatePassword();
        const passwordHash = await new PasswordService().hash(password);
        const roles = [...new Set(options.role)].sort();
        await ds.transaction(async (m) => {
          const person = await m.save(
            newStaff({
              email: options.email,
              displayName: options.name ?? options.email,
              passwordHash,
              roles,
            }),
          );
          await new AuditService(ds).record(
            {
              actor: { type: 'system', id: null, email: null, roles: [] },
              action: AuditAction.StaffCreate,
              outcome: 'success',
              target: { type: 'staff', id: person.id },
              changes: { email: { before: null, after: person.email }, roles: { before: [], after: roles } },
              details: { via: 'command line', osUser: userInfo().username },
            },
            m,
          );
        });
        process.stdout.write(
          `Created ${options.email} (${roles.join(', ')}) in ${database.description}.\n` +
            `One-time password (shown once; sign in and change it, then set up two-factor authentication):\n${password}\n`,
        );
      } finally {
        await database.close();
      }
    });
}
