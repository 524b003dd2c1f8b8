import { type DynamicModule, Module } from '@nestjs/common';
import { PrismaHealthIndicator } from '@shannon/db';
import { HEALTH_INDICATORS, HealthGrpcController } from '@shannon/grpc';
import { LoggingModule } from '@shannon/logging';
import { AccountService } from './accounts/account.service';
import { UserRepository } from './accounts/user.repository';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuthGrpcController } from './auth.grpc.controller';
import { AUTH_CONFIG, type AuthConfig, jwtSecret } from './config';
import { DevelopmentSeeder } from './development/development-seeder';
import { PasswordHasher } from './passwords/password-hasher';
import { PrismaService } from './prisma/prisma.service';
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenRepository } from './tokens/refresh-token.repository';
import { TokenService } from './tokens/token.service';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggingModule.forRoot({ service: 'auth', level: config.LOG_LEVEL, format: config.LOG_FORMAT })],
      controllers: [AuthGrpcController, HealthGrpcController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        {
          provide: AccessTokenService,
          useValue: new AccessTokenService({ secret: jwtSecret(config), issuer: config.JWT_ISSUER, ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS }),
        },
        {
          provide: AccountService,
          useFactory: (users: UserRepository, passwords: PasswordHasher, tokens: TokenService, audit: AuditLogRepository) =>
            new AccountService(users, passwords, tokens, audit),
          inject: [UserRepository, PasswordHasher, TokenService, AuditLogRepository],
        },
        {
          provide: ApiKeyService,
          useFactory: (keys: ApiKeyRepository, audit: AuditLogRepository) => new ApiKeyService(keys, audit),
          inject: [ApiKeyRepository, AuditLogRepository],
        },
        { provide: HEALTH_INDICATORS, useFactory: (prisma: PrismaService) => [new PrismaHealthIndicator(prisma)], inject: [PrismaService] },
        { provide: PasswordHasher, useValue: new PasswordHasher(config.PASSWORD_HASH_COST) },
        {
          provide: TokenService,
          useFactory: (access: AccessTokenService, refresh: RefreshTokenRepository, audit: AuditLogRepository) =>
            new TokenService(access, refresh, audit, config.REFRESH_TOKEN_TTL_DAYS),
          inject: [AccessTokenService, RefreshTokenRepository, AuditLogRepository],
        },
        ApiKeyRepository,
        AuditLogRepository,
        DevelopmentSeeder,
        PrismaService,
        RefreshTokenRepository,
        UserRepository,
      ],
    };
  }
}
