import { ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGE_REQUEST_STATUSES } from '@custodian/shared';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { ReadableMinLength } from '../../common/readable-text';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ApproveDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class RejectDto {
  @Transform(trim)
  @IsString()
  @ReadableMinLength(3, { message: 'comment must say why the request is rejected' })
  @MaxLength(1000)
  comment: string;
}

export class ListChangeRequestsQueryDto extends PageQueryDto {
  // Without this the parameter is validated but missing from /api/openapi.json.
  @ApiPropertyOptional({ enum: CHANGE_REQUEST_STATUSES, description: 'only the requests in this state' })
  @IsOptional()
  @IsIn(CHANGE_REQUEST_STATUSES, { message: `status must be one of: ${CHANGE_REQUEST_STATUSES.join(', ')}` })
  status?: (typeof CHANGE_REQUEST_STATUSES)[number];

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only the requests the caller filed (their "My requests")',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mine must be true or false' })
  mine?: 'true' | 'false';
}
