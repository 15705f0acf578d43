import { BadRequestException, type ValidationError } from '@nestjs/common';

/** Flattens class-validator errors into sentences that each name the bad field. */
export function validationExceptionFactory(errors: ValidationError[]): BadRequestException {
  const messages: string[] = [];
  const walk = (list: ValidationError[], prefix: string) => {
    for (const error of list) {
      const path = prefix ? `${prefix}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) {
        messages.push(
          message.startsWith(error.property) ? path + message.slice(error.property.length) : message,
        );
      }
      if (error.children?.length) walk(error.children, path);
    }
  };
  walk(errors, '');
  return new BadRequestException(messages.length ? messages : ['request is invalid']);
}
