import { Global, Module } from '@nestjs/common';
import { AuditReaderService } from './audit-reader.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { CheckpointService } from './checkpoint.service';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditReaderService, CheckpointService],
  exports: [AuditService, AuditReaderService, CheckpointService],
})
export class AuditModule {}
