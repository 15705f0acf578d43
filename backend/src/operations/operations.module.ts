import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { ChangeRequestsController } from '../change-requests/change-requests.controller';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { BulkOperationsController } from './bulk-operations.controller';
import { BulkOperationsService } from './bulk-operations.service';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

@Module({
  imports: [StaffModule],
  controllers: [OperationsController, ChangeRequestsController, BulkOperationsController],
  providers: [OperationsService, ChangeRequestsService, BulkOperationsService],
})
export class OperationsModule {}
