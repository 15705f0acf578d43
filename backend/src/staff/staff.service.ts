import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, In, IsNull, MoreThan, Repository } from 'typeorm';
import { AuditAction } from '@custodian/shared';
import { PersonalAccessTokenEntity } from '../auth/token.entity';
import {
  alreadyWaiting,
  ChangeRequestEntity,
  identicalPending,
  lockRequestsOn,
  newChangeRequest,
  rejectionEvent,
} from '../change-requests/change-request.entity';
import { payloadHash } from '../change-requests/payload-hash';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { LoginThrottleService } from '../auth/login-throttle.service';
import { PasswordService } from '../auth/password.service';
import { TokensService } from '../auth/tokens.service';
import { AuditService, type AuditInput } from '../audit/audit.service';
import type { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { newStaff, StaffEntity } from './staff.entity';

/**
 * Staff management. Must stay true: deactivating someone ends their sessions and tokens at once;
 * nobody deactivates or strips the roles of themselves (an admin cannot lock the last door).
 */
@Injectable()
export class StaffService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(StaffEntity) private readonly staff: Repository<StaffEntity>,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottleService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<StaffEntity[]> {
    return this.staff.find({ order: { email: 'ASC' } });
  }

  async get(id: string): Promise<StaffEntity> {
    const person = await this.staff.findOneBy({ id });
    if (!person) throw new NotFoundException(`staff member ${id} does not exist`);
    return person;
  }

  /**
   * Creates a person with no roles; with password sign-in, returns a one-time initial password to
   * hand over. The roles asked for become a grant that a second admin must approve, as in update:
   * otherwise one admin could create a second admin and approve their own later grants with it.
   */
  async create(
    actor: { id: string; email: string },
    dto: CreateStaffDto,
    event: Omit<AuditInput, 'action' | 'outcome'>,
  ): Promise<{ person: StaffEntity; initialPassword?: string; changeRequestId?: string }> {
    if (await this.staff.existsBy({ email: dto.email })) {
      throw new ConflictException(`a staff member with email ${dto.email} exists`);
    }
    const initialPassword = dto.passwordSignIn === false ? undefined : generatePassword();
    const passwordHash = initialPassword ? await this.passwords.hash(initialPassword) : null;
    return this.dataSource.transaction(async (m) => {
      const person = await m.save(
        newStaff({ email: dto.email, displayName: dto.displayName, roles: [], passwordHash }),
      );
      await this.audit.record(
        {
          ...event,
          action: AuditAction.StaffCreate,
          outcome: 'success',
          target: { type: 'staff', id: person.id },
          changes: {
            email: { before: null, after: person.email },
            displayName: { before: null, after: person.displayName },
          },
        },
        m,
      );
      const changeRequestId = dto.roles.length
        ? await this.requestGrant(m, actor, person, [...dto.roles].sort(), event)
        : undefined;
      return { person, initialPassword, changeRequestId };
    });
  }

  /**
   * Applies what lowers privilege at once (removing roles, deactivating) and turns what raises it
   * (granting a role) into a change request that a second admin must approve.
   *
   * Reactivating raises privilege too: a deactivated person keeps their roles on record, and giving
   * them back on one admin's say would sidestep the second admin (deactivate, then reactivate; or
   * bring back someone who left with admin rights). So a reactivated person comes back with no
   * roles, and their former roles (or the roles given with `active: true`) are filed as a grant.
   */
  async update(
    actor: { id: string; email: string },
    id: string,
    dto: UpdateStaffDto,
    event: Omit<AuditInput, 'action' | 'outcome'>,
  ): Promise<{ person: StaffEntity; changeRequestId?: string }> {
    if (id === actor.id && (dto.active === false || (dto.roles && !dto.roles.includes('admin')))) {
      throw new BadRequestException('you cannot deactivate yourself or remove your own admin role');
    }
    return this.dataSource.transaction(async (m) => {
      // Read, and locked, in the change's own transaction: read before it, the person was written
      // back whole over a change another admin made meanwhile (a deactivation undone by a role
      // removal that had read them active).
      const person = await m
        .getRepository(StaffEntity)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw new NotFoundException(`staff member ${id} does not exist`);
      const before = { roles: [...person.roles], active: person.active };
      const reactivating = dto.active === true && !before.active;
      const wanted = dto.roles ? [...new Set(dto.roles)].sort() : before.roles;
      // Removals apply now; grants wait for approval, from the roles as they are after the removals.
      // A reactivated person keeps none: every role they are to hold waits for approval.
      person.roles = reactivating ? [] : before.roles.filter((r) => wanted.includes(r));
      const granted = wanted.filter((r) => !person.roles.includes(r));
      // A grant for someone who stays deactivated could not be used, and deactivating withdraws the
      // grants waiting for a person: it is filed when they are reactivated, with the roles.
      if (granted.length && (dto.active ?? person.active) === false) {
        throw new BadRequestException(
          'roles are granted to active people only: reactivate them with the roles ({"active": true, "roles": [...]})',
        );
      }
      if (dto.active !== undefined && dto.active !== person.active) {
        person.active = dto.active;
        person.deactivatedAt = dto.active ? null : new Date();
      }
      person.updatedAt = new Date();
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      if (String(before.roles) !== String(person.roles))
        changes.roles = { before: before.roles, after: person.roles };
      if (before.active !== person.active) changes.active = { before: before.active, after: person.active };
      const reason = reactivating ? `reactivate ${person.email} and grant ${granted.join(', ')}` : undefined;
      if (Object.keys(changes).length) {
        await m.save(person);
        // Deactivation ends every session and token in the same transaction as the change itself.
        if (dto.active === false) {
          await this.endAccess(m, id);
          await this.withdrawGrants(m, actor, person, event);
        }
      }
      // Filed before the change's event is written, so that event can name the request it led to.
      const filed = granted.length ? await this.fileGrant(m, actor, person, granted, reason) : undefined;
      if (Object.keys(changes).length) {
        await this.audit.record(
          {
            ...event,
            action:
              dto.active === false && before.active ? AuditAction.StaffDeactivate : AuditAction.StaffUpdate,
            outcome: 'success',
            target: { type: 'staff', id },
            changes,
            details: filed ? { changeRequestId: filed.id } : undefined,
          },
          m,
        );
      }
      if (filed) await this.recordGrantFiled(m, person, filed, event);
      return { person, changeRequestId: filed?.id };
    });
  }

  /**
   * Files a grant of `granted` on top of the person's current roles as a change request for a second
   * admin, with its pending event, in the caller's transaction. Returns the request's id.
   */
  private async requestGrant(
    m: EntityManager,
    actor: { id: string; email: string },
    person: StaffEntity,
    granted: string[],
    event: Omit<AuditInput, 'action' | 'outcome'>,
  ): Promise<string> {
    const filed = await this.fileGrant(m, actor, person, granted);
    await this.recordGrantFiled(m, person, filed, event);
    return filed.id;
  }

  /** Saves the change request of a grant, without its event (recordGrantFiled writes that). */
  private async fileGrant(
    m: EntityManager,
    actor: { id: string; email: string },
    person: StaffEntity,
    granted: string[],
    // What the second admin reads first in the queue.
    reason = `grant ${granted.join(', ')} to ${person.email}`,
  ): Promise<ChangeRequestEntity> {
    const roleChange = { roles: { before: person.roles, after: [...person.roles, ...granted].sort() } };
    const params = { roles: roleChange.roles.after };
    const filed = newChangeRequest(
      {
        operation: 'grant-roles',
        targetType: 'staff',
        targetId: person.id,
        params,
        changes: roleChange,
        expectedVersion: 0,
        payloadHash: payloadHash({
          operation: 'grant-roles',
          targetId: person.id,
          params,
          expectedVersion: 0,
          changes: roleChange,
        }),
        requestedBy: actor.id,
        requestedByEmail: actor.email,
        reason,
        ticket: null,
      },
      this.config.changeRequestHours,
    );
    // The same grant asked twice would wait twice; approving the second could only fail.
    await lockRequestsOn(m, person.id);
    const existing = await identicalPending(m, filed);
    if (existing) throw alreadyWaiting(existing);
    return m.save(filed);
  }

  /** The pending event of a filed grant, in the transaction that filed it. */
  private async recordGrantFiled(
    m: EntityManager,
    person: StaffEntity,
    filed: ChangeRequestEntity,
    event: Omit<AuditInput, 'action' | 'outcome'>,
  ): Promise<void> {
    await this.audit.record(
      {
        ...event,
        action: AuditAction.StaffGrantRoles,
        outcome: 'pending',
        target: { type: 'staff', id: person.id },
        changes: filed.changes,
        details: { changeRequestId: filed.id },
      },
      m,
    );
  }

  /** Applies an approved role grant inside the approval's transaction; 409 if the roles moved on. */
  async applyGrant(m: EntityManager, request: ChangeRequestEntity, event: AuditInput): Promise<StaffEntity> {
    // Locked, as update() locks it: the grant is checked against, and written over, the person as
    // they are, not as they were before a deactivation that commits meanwhile.
    const person = await m
      .getRepository(StaffEntity)
      .findOne({ where: { id: request.targetId }, lock: { mode: 'pessimistic_write' } });
    const blocker = grantBlocker(person, request);
    if (blocker || !person) throw new ConflictException(blocker);
    person.roles = grantOf(request).after;
    person.updatedAt = new Date();
    await m.save(person);
    await this.audit.record(
      { ...event, target: { type: 'staff', id: person.id }, changes: request.changes },
      m,
    );
    return person;
  }

  /**
   * The current password is the sign-in's secret, and a session left open is enough to guess at it
   * here: each wrong one is recorded as a denied attempt and counted by the sign-in's throttle,
   * which blocks both alike.
   */
  async changePassword(id: string, current: string, next: string, event: AuditInput): Promise<void> {
    const person = await this.get(id);
    const ip = event.ip ?? 'unknown';
    const denied = (why: string) => this.audit.record({ ...event, outcome: 'denied', details: { why } });
    try {
      await this.throttle.check(person.email, ip);
    } catch (error) {
      await denied('throttled');
      throw error;
    }
    if (!person.passwordHash || !(await this.passwords.verify(person.passwordHash, current))) {
      await this.throttle.recordFailure(person.email, ip);
      await denied('wrong_current_password');
      throw new BadRequestException('currentPassword is wrong');
    }
    await this.throttle.recordSuccess(person.email);
    const weakness = this.passwords.weakness(next, person.email);
    if (weakness) throw new BadRequestException(`newPassword: ${weakness}`);
    const passwordHash = await this.passwords.hash(next);
    await this.dataSource.transaction(async (m) => {
      await m.update(StaffEntity, { id }, { passwordHash, updatedAt: new Date() });
      await this.audit.record(event, m);
    });
  }

  /**
   * The grants waiting for a person who is deactivated are rejected with the deactivation, in its
   * transaction, each with its event: none could apply any more, and a queue must not offer them
   * for approval (nor keep them to apply should the person come back).
   */
  private async withdrawGrants(
    m: EntityManager,
    actor: { id: string; email: string },
    person: StaffEntity,
    event: Omit<AuditInput, 'action' | 'outcome'>,
  ): Promise<void> {
    const comment = `${person.email} was deactivated`;
    const withdrawn: { id: string }[] = await m
      .createQueryBuilder()
      .update(ChangeRequestEntity)
      .set({
        status: 'rejected',
        decidedBy: actor.id,
        decidedByEmail: actor.email,
        decidedAt: new Date(),
        comment,
      })
      .where(`target_type = 'staff' AND target_id = :id AND status = 'pending'`, { id: person.id })
      .returning(['id'])
      .execute()
      .then((r) => r.raw as { id: string }[]);
    for (const { id } of withdrawn) {
      const request = { operation: 'grant-roles', targetType: 'staff', targetId: person.id };
      await this.audit.record(rejectionEvent(event, id, request, comment), m);
    }
  }

  /** The grants waiting for each of these people (all people when none are named), oldest first. */
  async pendingGrants(ids?: string[]): Promise<Map<string, ChangeRequestEntity[]>> {
    const pending = await this.dataSource.getRepository(ChangeRequestEntity).find({
      where: {
        targetType: 'staff',
        status: 'pending',
        expiresAt: MoreThan(new Date()),
        ...(ids ? { targetId: In(ids) } : {}),
      },
      order: { createdAt: 'ASC' },
    });
    const byPerson = new Map<string, ChangeRequestEntity[]>();
    for (const r of pending) {
      const theirs = byPerson.get(r.targetId);
      if (theirs) theirs.push(r);
      else byPerson.set(r.targetId, [r]);
    }
    return byPerson;
  }

  /** Ends every session and token of a person, now. */
  private async endAccess(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM staff_session WHERE staff_id = $1`, [id]);
    await m.update(
      PersonalAccessTokenEntity,
      { staffId: id, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }
}

/** The roles a grant request was filed against, and those it sets. */
export function grantOf(request: Pick<ChangeRequestEntity, 'changes'>): {
  before: string[];
  after: string[];
} {
  return (request.changes as { roles: { before: string[]; after: string[] } }).roles;
}

/**
 * Why a role grant can no longer apply, or undefined while it can: approving checks it, and so
 * does every reader of the request (the queue, the request page, the person's staff record).
 */
export function grantBlocker(
  person: Pick<StaffEntity, 'active' | 'roles'> | null | undefined,
  request: Pick<ChangeRequestEntity, 'changes'>,
): string | undefined {
  if (!person || !person.active) return 'this person is gone or deactivated';
  if (String([...person.roles].sort()) !== String(grantOf(request).before)) {
    return 'this person’s roles changed since the grant was requested';
  }
  return undefined;
}

/** 20 random characters from an unambiguous alphabet: about 115 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
}
