import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACCOUNT_SORT_FIELDS,
  ACCOUNT_STATUSES,
  PLANS,
  REGIONS,
  SORT_ORDERS,
  isCompleteEmail,
  isE164,
  normalizePhone,
} from '@custodian/shared';
import type { AccountSortField, AccountStatus, Plan, Region, SortOrder } from '@custodian/shared';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * A check from the shared lookup contract, which the console applies before it sends a filter and
 * which decides how `q` reads a term: the API accepts exactly what the console lets through.
 */
function Satisfies(name: string, test: (value: string) => boolean, message: string): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value === 'string' && test(value),
      defaultMessage: () => message,
    },
  });
}

export class ListAccountsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'id, handle or display-name fragment; a full email or phone matches exactly',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'exact email address' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(320)
  @Satisfies(
    'isCompleteEmail',
    isCompleteEmail,
    'email must be a complete email address (only exact matches are allowed)',
  )
  email?: string;

  @ApiPropertyOptional({ description: 'exact phone number in international format, e.g. +4915112345678' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? normalizePhone(value) : value))
  @IsString()
  @Satisfies(
    'isE164',
    isE164,
    'phone must be a complete phone number in international format (only exact matches are allowed)',
  )
  phone?: string;

  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES)
  status?: AccountStatus;

  @ApiPropertyOptional({ enum: PLANS })
  @IsOptional()
  @IsIn(PLANS)
  plan?: Plan;

  @ApiPropertyOptional({ enum: REGIONS })
  @IsOptional()
  @IsIn(REGIONS)
  region?: Region;

  @ApiPropertyOptional({ enum: ACCOUNT_SORT_FIELDS, default: 'createdAt' })
  @IsOptional()
  @IsIn(ACCOUNT_SORT_FIELDS, { message: `sort must be one of: ${ACCOUNT_SORT_FIELDS.join(', ')}` })
  sort: AccountSortField = 'createdAt';

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc' })
  @IsOptional()
  @IsIn(SORT_ORDERS, { message: 'order must be asc or desc' })
  order: SortOrder = 'desc';
}
