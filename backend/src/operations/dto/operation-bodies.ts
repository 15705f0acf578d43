import { OPERATION_REASON_MIN_LENGTH, PLANS, type OperationName } from '@custodian/shared';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  NotContains,
} from 'class-validator';
import { MASKED, normalizePhone } from '@custodian/shared';
import { ReadableMinLength } from '../../common/readable-text';

/** The largest value of the account's version column (integer). */
const MAX_VERSION = 2_147_483_647;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Why, and an optional ticket: what every change, single or bulk, must carry. */
export class ReasonDto {
  @Transform(trim)
  @IsString()
  @ReadableMinLength(OPERATION_REASON_MIN_LENGTH, {
    message: `reason must say why, in at least ${OPERATION_REASON_MIN_LENGTH} characters`,
  })
  @MaxLength(1000)
  reason: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  ticket?: string;
}

/** What every operation takes: a reason and ticket, and the version of the account the caller saw. */
export class OperationBodyDto extends ReasonDto {
  @IsInt({ message: 'expectedVersion must be the whole-number version of the account you saw' })
  @Min(1)
  // The largest version the database holds (a 32-bit integer): a larger number can match no
  // account, and reached the database, whose refusal named no field.
  @Max(MAX_VERSION, { message: `expectedVersion must be at most ${MAX_VERSION}` })
  expectedVersion: number;
}

export class ChangeEmailDto extends OperationBodyDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  // "j***@example.com" is a well-formed address: a masked value read and sent back (a script
  // writing back what it read, say) would otherwise replace the customer's real one.
  @NotContains(MASKED, { message: `email must be the whole new address, not a masked one (${MASKED})` })
  @MaxLength(320)
  email: string;
}

export class ChangePhoneDto extends OperationBodyDto {
  @Transform(({ value }) => (typeof value === 'string' ? normalizePhone(value) : value))
  @IsString()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be in international format, e.g. +4915112345678' })
  phone: string;
}

export class ChangePlanDto extends OperationBodyDto {
  @IsIn(PLANS, { message: `plan must be one of: ${PLANS.join(', ')}` })
  plan: string;
}

export class IssueCreditDto extends OperationBodyDto {
  @IsInt({ message: 'amountCents must be a whole number of cents' })
  @Min(1, { message: 'amountCents must be positive' })
  @Max(10_000_000, { message: 'amountCents must be at most 10000000' })
  amountCents: number;
}

export class AddNoteDto extends OperationBodyDto {
  @Transform(trim)
  @IsString()
  @ReadableMinLength(1, { message: 'body must not be blank' })
  @MaxLength(5000)
  body: string;
}

/** The body class of each operation: any field not declared on it is refused (no mass assignment). */
export const OPERATION_BODIES: Record<OperationName, new () => OperationBodyDto> = {
  'change-email': ChangeEmailDto,
  'change-phone': ChangePhoneDto,
  'change-plan': ChangePlanDto,
  suspend: OperationBodyDto,
  reactivate: OperationBodyDto,
  'reset-mfa': OperationBodyDto,
  'revoke-sessions': OperationBodyDto,
  'issue-credit': IssueCreditDto,
  'add-note': AddNoteDto,
  close: OperationBodyDto,
};
