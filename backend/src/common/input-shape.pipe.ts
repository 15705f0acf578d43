import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { UNSTORABLE } from './unstorable';

/** Deeper than any body of the contract; deep enough to stop the validators' recursion early. */
export const MAX_BODY_DEPTH = 32;

/**
 * Runs before validation on every body, query and route parameter. A value holding NUL or a lone
 * surrogate used to reach the database, which refused it with an error that named no field ("a
 * parameter has a value of the wrong form"), or stored it altered (a NUL in a reason became
 * U+FFFD and the change went through); it is now a 400 that names the field. A body nested
 * thousands of levels deep overflowed the validators' stack (a 500, even on the sign-in, before
 * anyone is signed in); past MAX_BODY_DEPTH it is a 400. The walk is iterative, so no input can
 * overflow it.
 */
@Injectable()
export class InputShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const problem = findProblem(value, metadata.data ?? '', metadata.type === 'body');
    if (problem) throw new BadRequestException([problem]);
    return value;
  }
}

function findProblem(root: unknown, rootPath: string, isBody: boolean): string | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: root, path: rootPath, depth: 0 },
  ];
  const named = (path: string) => path || (isBody ? 'request body' : 'a parameter');
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value))
        return `${named(path)} must be text without NUL characters or lone surrogates`;
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return `request body nests deeper than ${MAX_BODY_DEPTH} levels`;
    for (const [key, child] of Object.entries(value)) {
      if (UNSTORABLE.test(key))
        return `${named(path)} has a field name with NUL characters or lone surrogates`;
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
