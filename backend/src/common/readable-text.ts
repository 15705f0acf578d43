import { readableLength } from '@custodian/shared';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * At least `min` characters a reader sees (readableLength in shared, which the console checks
 * too): a reason of zero-width spaces or bidirectional overrides is as empty as one of spaces.
 */
export function ReadableMinLength(min: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'readableMinLength',
      constraints: [min],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && readableLength(value) >= min,
        defaultMessage: () => `$property must hold at least ${min} readable characters`,
      },
    },
    options,
  );
}
