import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { AUDIT_ACTION_PREFIXES, AUDIT_ACTIONS, AUDIT_OUTCOMES } from '@custodian/shared';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/page-query.dto';
import { UUID } from '../../common/uuid.pipe';

/**
 * What the action filter accepts: an action of the catalogue, or a prefix of them ending in a dot
 * (`account.` is every account action). Anything else is a 400, not an empty page, so a mistyped
 * action cannot pass for "no such events".
 */
const ACTION_FILTERS: readonly string[] = [...AUDIT_ACTIONS.map((d) => d.action), ...AUDIT_ACTION_PREFIXES];

/**
 * Ids are stored in small letters; one given in capitals names the same record (the routes by id
 * take it so), and matched nothing, an empty page passing for "no such events".
 */
const idInSmallLetters = Transform(({ value }) =>
  typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : value,
);

/** What narrows the audit log: the filters its list and its export both take. */
export class AuditEventFiltersDto {
  @ApiPropertyOptional()
  @IsOptional()
  @idInSmallLetters
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(320) actorEmail?: string;

  @ApiPropertyOptional({
    description: 'an action of the catalogue, or a prefix of them ending in a dot such as account.',
    enum: ACTION_FILTERS,
  })
  @IsOptional()
  @IsIn(ACTION_FILTERS, {
    message:
      'action must be an action of the audit catalogue (such as auth.login) or a prefix of them ending in a dot (such as account.)',
  })
  action?: string;

  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z_]+$/) @MaxLength(50) targetType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @idInSmallLetters
  @IsString()
  @MaxLength(100)
  targetId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES }) @IsOptional() @IsIn(AUDIT_OUTCOMES) outcome?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or time' })
  to?: string;

  @ApiPropertyOptional({ description: 'text in the reason' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

/** A page of the filtered log. */
export class ListAuditEventsQueryDto extends IntersectionType(PageQueryDto, AuditEventFiltersDto) {}

/**
 * Every event the filters match, in one file: no limit or cursor (a limit was once taken and
 * ignored, and a client asking for five events got the whole log).
 */
export class ExportAuditEventsQueryDto extends AuditEventFiltersDto {
  @ApiPropertyOptional({ enum: ['csv', 'jsonl'], default: 'jsonl' })
  @IsOptional()
  @IsIn(['csv', 'jsonl'], { message: 'format must be csv or jsonl' })
  format: 'csv' | 'jsonl' = 'jsonl';
}
