import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import { DataSource, IsNull, Repository } from 'typeorm';
import type { AppConfig } from '../config/app.config';
import { APP_CONFIG } from '../config/config.token';
import { AuditService, type AuditInput } from '../audit/audit.service';
import { StaffEntity } from '../staff/staff.entity';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { SecretBox } from './secret-box';

/**
 * TOTP (RFC 6238, 30-second steps, 6 digits) with ten single-use recovery codes.
 * Must stay true: a code is accepted at most one step either side of now, and never twice (each
 * person's last accepted step is stored and a code of that step or earlier is refused).
 */
const PERIOD = 30;
export const RECOVERY_CODE_COUNT = 10;

@Injectable()
export class MfaService {
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectRepository(StaffEntity) private readonly staff: Repository<StaffEntity>,
    @InjectRepository(RecoveryCodeEntity) private readonly recoveryCodes: Repository<RecoveryCodeEntity>,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.secret, 'mfa-secret');
  }

  async startEnrolment(
    email: string,
  ): Promise<{ secret: string; sealed: string; otpauthUrl: string; qrCode: string }> {
    const secret = generateSecret();
    const otpauthUrl = generateURI({ issuer: 'Custodian', label: email, secret });
    return { secret, sealed: this.box.seal(secret), otpauthUrl, qrCode: await toDataURL(otpauthUrl) };
  }

  /** Checks a code against a sealed secret; returns the code's time step, or null. */
  async check(sealed: string, code: string, afterStep: number | null): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const result = await verify({
      secret: this.box.open(sealed),
      token: code,
      period: PERIOD,
      epochTolerance: PERIOD,
      ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
    });
    // The default strategy is TOTP, whose valid results carry the matched time step.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  }

  /** Turns MFA on with a confirmed secret and returns the recovery codes (shown once). */
  async enable(staffId: string, sealed: string, step: number, event: AuditInput): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const raw = randomBytes(5).toString('hex');
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
    await this.dataSource.transaction(async (m) => {
      await m.update(
        StaffEntity,
        { id: staffId },
        { mfaEnabled: true, mfaSecretEncrypted: sealed, mfaLastStep: String(step), updatedAt: new Date() },
      );
      await m.delete(RecoveryCodeEntity, { staffId });
      await m.insert(
        RecoveryCodeEntity,
        codes.map((c) => ({ staffId, codeHash: hashCode(c), usedAt: null })),
      );
      await this.audit.record(event, m);
    });
    return codes;
  }

  /**
   * Verifies a sign-in code for an enrolled person: a TOTP code, claimed atomically so that two
   * requests with the same code cannot both pass, or an unused recovery code.
   */
  async verifySignIn(person: StaffEntity, code: string): Promise<boolean> {
    const trimmed = code.trim();
    if (/^[0-9a-f]{5}-[0-9a-f]{5}$/i.test(trimmed)) {
      const result = await this.recoveryCodes.update(
        { staffId: person.id, codeHash: hashCode(trimmed.toLowerCase()), usedAt: IsNull() },
        { usedAt: new Date() },
      );
      return (result.affected ?? 0) === 1;
    }
    if (!person.mfaSecretEncrypted) return false;
    const lastStep = person.mfaLastStep === null ? null : Number(person.mfaLastStep);
    const step = await this.check(person.mfaSecretEncrypted, trimmed, lastStep);
    if (step === null) return false;
    const claimed = await this.staff
      .createQueryBuilder()
      .update()
      .set({ mfaLastStep: String(step) })
      .where('id = :id AND (mfa_last_step IS NULL OR mfa_last_step < :step)', { id: person.id, step })
      .execute();
    return claimed.affected === 1;
  }
}

function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
