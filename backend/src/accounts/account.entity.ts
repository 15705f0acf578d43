import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountStatus, Plan, Region } from '@custodian/shared';

/** A customer account. Never returned as is: `account.mapper.ts` builds every response. */
@Entity('account')
export class AccountEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') handle: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text') email: string;
  @Column('boolean', { name: 'email_verified' }) emailVerified: boolean;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('date', { name: 'date_of_birth', nullable: true }) dateOfBirth: string | null;
  @Column('text', { name: 'address_street', nullable: true }) addressStreet: string | null;
  @Column('text', { name: 'address_city', nullable: true }) addressCity: string | null;
  @Column('text', { name: 'address_postal_code', nullable: true }) addressPostalCode: string | null;
  @Column('text', { name: 'address_country', nullable: true }) addressCountry: string | null;
  @Column('text') region: Region;
  @Column('text') status: AccountStatus;
  @Column('text') plan: Plan;
  // bigint comes back from pg as a string; cents stay exact and are turned to a number in the mapper.
  @Column('bigint', { name: 'credit_balance_cents' }) creditBalanceCents: string;
  @Column('boolean', { name: 'mfa_enabled' }) mfaEnabled: boolean;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt: Date | null;
  @Column('text', { name: 'last_login_ip', nullable: true }) lastLoginIp: string | null;
  @Column('boolean', { name: 'marketing_opt_in' }) marketingOptIn: boolean;
  @Column('integer') version: number;
}
