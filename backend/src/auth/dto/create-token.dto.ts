import { TOKEN_MAX_DAYS } from '@custodian/shared';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ReadableMinLength } from '../../common/readable-text';

export class CreateTokenDto {
  @IsString()
  @ReadableMinLength(1, { message: 'name must not be blank' })
  @MaxLength(100)
  name: string;

  @IsInt()
  @Min(1)
  @Max(TOKEN_MAX_DAYS, { message: `expiresInDays must be at most ${TOKEN_MAX_DAYS}` })
  expiresInDays: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  permissions?: string[];
}
