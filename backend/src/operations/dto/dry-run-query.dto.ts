import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/** The one query parameter of an operation, single or bulk; any other is a 400, as on every list. */
export class DryRunQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: answer with the exact diff (a bulk operation: every account) and change nothing',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
