import { ROLES } from '@custodian/shared';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

const ROLE_MESSAGE = `each value in roles must be one of: ${ROLES.join(', ')}`;

export class CreateStaffDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles: string[];

  /** false: the person signs in through single sign-on only, and gets no password. */
  @IsOptional()
  @IsBoolean()
  passwordSignIn?: boolean;
}

export class UpdateStaffDto {
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles?: string[];

  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ChangePasswordDto {
  @IsString()
  @MaxLength(256)
  currentPassword: string;

  @IsString()
  @MaxLength(256)
  newPassword: string;
}
