import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who works in the console. Never a shared login; never returned as is (staff.mapper.ts). */
@Entity('staff')
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { name: 'password_hash', nullable: true }) passwordHash: string | null;
  @Column('text', { array: true }) roles: string[];
  @Column('boolean') active: boolean;
  @Column('boolean', { name: 'mfa_enabled' }) mfaEnabled: boolean;
  @Column('text', { name: 'mfa_secret_encrypted', nullable: true }) mfaSecretEncrypted: string | null;
  // bigint arrives as a string from pg; the TOTP time step fits a JS number comfortably.
  @Column('bigint', { name: 'mfa_last_step', nullable: true }) mfaLastStep: string | null;
  @Column('text', { name: 'oidc_subject', nullable: true }) oidcSubject: string | null;
  @Column('boolean', { name: 'is_demo' }) isDemo: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'deactivated_at', nullable: true }) deactivatedAt: Date | null;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt: Date | null;
}

/** A new, active person without MFA or SSO link: the defaults every way of adding staff shares. */
export function newStaff(
  fields: Pick<StaffEntity, 'email' | 'displayName' | 'roles' | 'passwordHash'> & Partial<StaffEntity>,
): StaffEntity {
  const now = new Date();
  return Object.assign(new StaffEntity(), {
    active: true,
    mfaEnabled: false,
    mfaSecretEncrypted: null,
    mfaLastStep: null,
    oidcSubject: null,
    isDemo: false,
    createdAt: now,
    updatedAt: now,
    deactivatedAt: null,
    lastLoginAt: null,
    ...fields,
  });
}
