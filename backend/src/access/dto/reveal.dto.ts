import { REVEAL_REASON_MIN_LENGTH, REVEALABLE_FIELDS } from '@custodian/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ReadableMinLength } from '../../common/readable-text';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RevealDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(REVEALABLE_FIELDS.length)
  @ArrayUnique()
  @IsIn(REVEALABLE_FIELDS, {
    each: true,
    message: `each value in fields must be one of: ${REVEALABLE_FIELDS.join(', ')}`,
  })
  fields: string[];

  @Transform(trim)
  @IsString()
  @ReadableMinLength(REVEAL_REASON_MIN_LENGTH, {
    message: `reason must say why, in at least ${REVEAL_REASON_MIN_LENGTH} characters`,
  })
  @MaxLength(1000)
  reason: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  ticket?: string;
}
