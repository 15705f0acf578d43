import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { TokensService } from '../auth/tokens.service';
import type { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';
import { StaffEntity } from './staff.entity';

/**
 * Staff management. Must stay true: deactivating someone ends their sessions and tokens at once;
 * nobody deactivates or strips the roles of themselves (an admin cannot lock the last door).
 */
@Injectable()
export class StaffService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(StaffEntity) private readonly staff: Repository<StaffEntity>,
    private readonly passwords: PasswordService,
    private readonly tokens: TokensService,
  ) {}

  list(): Promise<StaffEntity[]> {
    return this.staff.find({ order: { email: 'ASC' } });
  }

  async get(id: string): Promise<StaffEntity> {
    const person = await this.staff.findOneBy({ id });
    if (!person) throw new NotFoundException(`staff member ${id} does not exist`);
    return person;
  }

  /** Creates a person; with password sign-in, returns a one-time initial password to hand over. */
  async create(dto: CreateStaffDto): Promise<{ person: StaffEntity; initialPassword?: string }> {
    if (await this.staff.existsBy({ email: dto.email })) {
      throw new ConflictException(`a staff member with email ${dto.email} exists`);
    }
    const initialPassword = dto.passwordSignIn === false ? undefined : generatePassword();
    const person = await this.staff.save(
      this.staff.create({
        email: dto.email,
        displayName: dto.displayName,
        roles: [...dto.roles].sort(),
        passwordHash: initialPassword ? await this.passwords.hash(initialPassword) : null,
        active: true,
        mfaEnabled: false,
        mfaSecretEncrypted: null,
        mfaLastStep: null,
        oidcSubject: null,
        isDemo: false,
        createdAt: new Date(),
        updatedAt: new Date(),
        deactivatedAt: null,
        lastLoginAt: null,
      }),
    );
    return { person, initialPassword };
  }

  async update(actorId: string, id: string, dto: UpdateStaffDto): Promise<StaffEntity> {
    const person = await this.get(id);
    if (id === actorId && (dto.active === false || (dto.roles && !dto.roles.includes('admin')))) {
      throw new BadRequestException('you cannot deactivate yourself or remove your own admin role');
    }
    if (dto.roles) person.roles = [...dto.roles].sort();
    if (dto.active !== undefined && dto.active !== person.active) {
      person.active = dto.active;
      person.deactivatedAt = dto.active ? null : new Date();
    }
    person.updatedAt = new Date();
    await this.staff.save(person);
    if (dto.active === false) await this.endAccess(id);
    return person;
  }

  async changePassword(id: string, current: string, next: string): Promise<void> {
    const person = await this.get(id);
    if (!person.passwordHash || !(await this.passwords.verify(person.passwordHash, current))) {
      throw new BadRequestException('currentPassword is wrong');
    }
    const weakness = this.passwords.weakness(next, person.email);
    if (weakness) throw new BadRequestException(`newPassword: ${weakness}`);
    await this.staff.update({ id }, { passwordHash: await this.passwords.hash(next), updatedAt: new Date() });
  }

  /** Ends every session and token of a person, now. */
  private async endAccess(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM staff_session WHERE staff_id = $1`, [id]);
    await this.tokens.revokeAllOf(id);
  }
}

/** 20 random characters from an unambiguous alphabet: about 115 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join('');
}
