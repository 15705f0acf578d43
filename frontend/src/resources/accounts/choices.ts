import { ACCOUNT_STATUSES, PLANS, REGIONS } from '@custodian/shared';
import { capitalize } from './format';

const toChoices = (values: readonly string[], label: (value: string) => string = capitalize) =>
  values.map((value) => ({ id: value, name: label(value) }));

export const STATUS_CHOICES = toChoices(ACCOUNT_STATUSES);
export const PLAN_CHOICES = toChoices(PLANS);
export const REGION_CHOICES = toChoices(REGIONS, (region) => region);
