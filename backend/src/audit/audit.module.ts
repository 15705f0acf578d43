import { Global, Module } from '@nestjs/common';
import { AuditReaderService } from './audit-reader.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditReaderService],
  exports: [AuditService, AuditReaderService],
})
export class AuditModule {}
