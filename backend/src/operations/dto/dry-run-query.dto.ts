import { IsIn, IsOptional } from 'class-validator';

/** The one query parameter of an operation, single or bulk; any other is a 400, as on every list. */
export class DryRunQueryDto {
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
