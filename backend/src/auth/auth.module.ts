import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StaffEntity } from '../staff/staff.entity';
import { AuthCache } from './auth-cache';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';
import { MfaService } from './mfa.service';
import { OidcService } from './oidc.service';
import { PasswordService } from './password.service';
import { PasswordStrategy } from './password.strategy';
import { RecoveryCodeEntity } from './recovery-code.entity';
import { PersonalAccessTokenEntity } from './token.entity';
import { TokensService } from './tokens.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([StaffEntity, RecoveryCodeEntity, PersonalAccessTokenEntity])],
  controllers: [AuthController],
  providers: [
    AuthCache,
    AuthService,
    PasswordService,
    PasswordStrategy,
    LoginThrottleService,
    MfaService,
    OidcService,
    TokensService,
    // Deny by default: this guard runs before every route of every module.
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthCache, LoginThrottleService, PasswordService, TokensService],
})
export class AuthModule {}
