import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, ValidateBy } from 'class-validator';
import { beforeEach, describe, expect, it } from 'vitest';
import { QueryValidationPipe, REMEMBERED_QUERIES } from './query-validation.pipe';
import { validationExceptionFactory } from './validation';

/** How many times the validators looked at a `name`: what the pipe saved or did not. */
let checks = 0;

class SearchDto {
  @IsOptional()
  @ValidateBy({ name: 'counted', validator: { validate: (v: unknown) => (checks++, v !== 'bad') } })
  @IsString()
  name?: string;

  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  limit: number = 25;
}

const pipe = () =>
  new QueryValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationExceptionFactory,
  });
const asQuery: ArgumentMetadata = { type: 'query', metatype: SearchDto };
const asBody: ArgumentMetadata = { type: 'body', metatype: SearchDto };

describe('QueryValidationPipe', () => {
  beforeEach(() => {
    checks = 0;
  });

  it('validates a query text once and answers it again with a copy of its own', async () => {
    const validate = pipe();
    const first = (await validate.transform({ name: 'garcia', limit: '10' }, asQuery)) as SearchDto;
    first.name = 'changed by the first request';
    const second = (await validate.transform({ name: 'garcia', limit: '10' }, asQuery)) as SearchDto;

    expect(checks).toBe(1);
    expect(second).toBeInstanceOf(SearchDto);
    expect(second).not.toBe(first);
    expect({ ...second }).toEqual({ name: 'garcia', limit: 10 });
  });

  it('tells queries apart by every field', async () => {
    const validate = pipe();
    await validate.transform({ name: 'garcia' }, asQuery);
    const other = (await validate.transform({ name: 'garcia', limit: '5' }, asQuery)) as SearchDto;
    expect(checks).toBe(2);
    expect(other.limit).toBe(5);
  });

  it('refuses a bad query every time, and keeps nothing of it', async () => {
    const validate = pipe();
    for (let i = 0; i < 2; i++) {
      const refusal = await validate.transform({ name: 'bad' }, asQuery).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(BadRequestException);
    }
    const unknownField = await validate.transform({ sort: 'password' }, asQuery).catch((e: unknown) => e);
    expect(unknownField).toBeInstanceOf(BadRequestException);
    expect(checks).toBe(2);
  });

  it('validates bodies, and queries with a repeated parameter, every time', async () => {
    const validate = pipe();
    await validate.transform({ name: 'garcia' }, asBody);
    await validate.transform({ name: 'garcia' }, asBody);
    const repeated = await validate.transform({ name: ['a', 'b'] }, asQuery).catch((e: unknown) => e);
    await validate.transform({ name: ['a', 'b'] }, asQuery).catch(() => undefined);
    expect(repeated).toBeInstanceOf(BadRequestException);
    expect(checks).toBe(4);
  });

  it(`keeps the newest ${REMEMBERED_QUERIES} query texts`, async () => {
    const validate = pipe();
    for (let i = 0; i <= REMEMBERED_QUERIES; i++) await validate.transform({ name: `n${i}` }, asQuery);
    expect(checks).toBe(REMEMBERED_QUERIES + 1);
    await validate.transform({ name: `n${REMEMBERED_QUERIES}` }, asQuery);
    expect(checks).toBe(REMEMBERED_QUERIES + 1);
    await validate.transform({ name: 'n0' }, asQuery);
    expect(checks).toBe(REMEMBERED_QUERIES + 2);
  });
});
