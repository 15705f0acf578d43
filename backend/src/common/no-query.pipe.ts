import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/**
 * For a route that takes no query parameter: any one given is a 400 naming it, in the words the
 * validation of the other routes uses. Taken and ignored, a filter or a limit passed for one that
 * applied (`GET /api/staff?active=false` listed everyone).
 */
@Injectable()
export class NoQueryParameters implements PipeTransform {
  transform(value: unknown): unknown {
    const names = value !== null && typeof value === 'object' ? Object.keys(value) : [];
    if (names.length) throw new BadRequestException(names.map((name) => `property ${name} should not exist`));
    return value;
  }
}
