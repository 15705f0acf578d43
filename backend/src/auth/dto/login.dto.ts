import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @IsString()
  @MinLength(3)
  @MaxLength(320)
  email: string;

  // Bounded so that nobody can make the server hash a megabyte.
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password: string;

  @IsOptional()
  @IsString()
  @Matches(/^(\d{6}|[0-9a-fA-F]{5}-[0-9a-fA-F]{5})$/, {
    message: 'otp must be a 6-digit code or a recovery code like 1a2b3-c4d5e',
  })
  otp?: string;
}

export class ConfirmMfaDto {
  @IsString()
  @Matches(/^\d{6}$/, { message: 'otp must be a 6-digit code' })
  otp: string;
}
