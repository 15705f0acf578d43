import { Global, Module } from '@nestjs/common';
import { AuditReaderService } from './audit-reader.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { CheckpointService } from './checkpoint.service';
import { AuditPendingVacuumService } from './pending-vacuum.service';
import { AuditPartitionsService } from './retention.service';

@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditService,
    AuditReaderService,
    CheckpointService,
    AuditPartitionsService,
    AuditPendingVacuumService,
  ],
  exports: [AuditService, AuditReaderService, CheckpointService],
})
export class AuditModule {}
