import { OPERATION_NAMES, OPERATION_REASON_MIN_LENGTH } from '@custodian/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';

export const BULK_MAX_ACCOUNTS = 10_000;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateBulkOperationDto {
  @IsIn(OPERATION_NAMES, { message: `operation must be one of: ${OPERATION_NAMES.join(', ')}` })
  operation: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_ACCOUNTS, { message: `accountIds must list at most ${BULK_MAX_ACCOUNTS} accounts` })
  @ArrayUnique({ message: 'accountIds must not repeat an account' })
  @IsUUID('all', { each: true, message: 'each value in accountIds must be a UUID' })
  accountIds: string[];

  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @Transform(trim)
  @IsString()
  @MinLength(OPERATION_REASON_MIN_LENGTH, {
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
