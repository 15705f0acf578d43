import { OPERATION_NAMES } from '@custodian/shared';
import { Transform } from 'class-transformer';
import { ReasonDto } from './operation-bodies';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsUUID,
} from 'class-validator';

export const BULK_MAX_ACCOUNTS = 10_000;

/** Reason and ticket as for a single operation (ReasonDto), plus the accounts and parameters. */
export class CreateBulkOperationDto extends ReasonDto {
  @IsIn(OPERATION_NAMES, { message: `operation must be one of: ${OPERATION_NAMES.join(', ')}` })
  operation: string;

  // As a path id is (UuidParam): an id in capitals names the same account, so it must be found,
  // and must count as a repeat of the same id in small letters.
  @Transform(({ value }) =>
    Array.isArray(value) ? value.map((id) => (typeof id === 'string' ? id.toLowerCase() : id)) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_ACCOUNTS, { message: `accountIds must list at most ${BULK_MAX_ACCOUNTS} accounts` })
  @ArrayUnique({ message: 'accountIds must not repeat an account' })
  @IsUUID('all', { each: true, message: 'each value in accountIds must be a UUID' })
  accountIds: string[];

  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
}
