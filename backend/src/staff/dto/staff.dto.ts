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
  ValidateIf,
} from 'class-validator';
import { ReadableMinLength } from '../../common/readable-text';

const ROLE_MESSAGE = `each value in roles must be one of: ${ROLES.join(', ')}`;

export class CreateStaffDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  // Shown wherever the person acts (staff list, audit log): a name of spaces or unseen characters
  // would show nobody, so it is refused as a token's blank name is.
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @ReadableMinLength(1, { message: 'displayName must not be blank' })
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

/** Absent is "leave as is"; null is no value for either field, so it is validated and refused. */
const unlessAbsent = ValidateIf((_: object, value: unknown) => value !== undefined);

/** Names at least one of the two: the controller refuses a body that changes nothing. */
export class UpdateStaffDto {
  @unlessAbsent
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(5)
  @IsIn(ROLES, { each: true, message: ROLE_MESSAGE })
  roles?: string[];

  @unlessAbsent
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
