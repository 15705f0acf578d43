import { Module } from '@nestjs/common';
import { StaffModule } from '../staff/staff.module';
import { ChangeRequestsController } from '../change-requests/change-requests.controller';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { OperationsController } from './operations.controller';
import { OperationsService } from './operations.service';

@Module({
  imports: [StaffModule],
  controllers: [OperationsController, ChangeRequestsController],
  providers: [OperationsService, ChangeRequestsService],
})
export class OperationsModule {}
