import { ApiPropertyOptional } from '@nestjs/swagger';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@custodian/shared';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** `limit` and `cursor`, the paging parameters every list endpoint takes. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT })
  @IsOptional()
  // Only a plain decimal string becomes a number; anything else stays as is and fails @IsInt.
  @Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value))
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: `limit must be between 1 and ${PAGE_LIMIT_MAX}` })
  @Max(PAGE_LIMIT_MAX, { message: `limit must be between 1 and ${PAGE_LIMIT_MAX}` })
  limit: number = PAGE_LIMIT_DEFAULT;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
