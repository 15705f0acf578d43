import { ACCOUNT_STATUSES, PLANS, REGIONS } from '@custodian/shared';
import { capitalize } from './format';

const toChoices = (values: readonly string[], label: (value: string) => string = capitalize) =>
  values.map((value) => ({ id: value, name: label(value) }));

export const STATUS_CHOICES = toChoices(ACCOUNT_STATUSES);
/**
 * A plan as people read it ("Pro", not "pro"): the one label of a plan wherever the console shows
 * one (profile, list, operation forms and previews), so a diff and a profile agree.
 */
export const planLabel = (plan: string): string => capitalize(plan);

export const PLAN_CHOICES = toChoices(PLANS, planLabel);
export const REGION_CHOICES = toChoices(REGIONS, (region) => region);
