import { AUDIT_ACTION_PREFIXES, AUDIT_ACTIONS } from '@custodian/shared';

/** One choice of the audit log's action filter: an action of the catalogue, or a group of them. */
export interface ActionChoice {
  /** The filter value sent to the API: the action, or a prefix ending in a dot. */
  id: string;
  /** What the input shows once chosen: the action, or the prefix with a star. */
  name: string;
  description: string;
  /** The first segment (`account`, `auth`, ...), under which the list groups the choices. */
  group: string;
}

const groupOf = (id: string) => id.slice(0, id.indexOf('.'));

/**
 * The catalogue's actions with their descriptions, and before each group its prefix ("every
 * account action"), which the API takes as a filter too. Sorted by group, then by value, so a prefix
 * comes right before the actions it selects.
 */
export const ACTION_CHOICES: readonly ActionChoice[] = [
  ...AUDIT_ACTION_PREFIXES.map((prefix) => ({
    id: prefix,
    name: `${prefix}*`,
    description: `Every ${prefix.slice(0, -1).replace(/[._]/g, ' ')} action`,
    group: groupOf(prefix),
  })),
  ...AUDIT_ACTIONS.map(({ action, description }) => ({
    id: action,
    name: action,
    description,
    group: groupOf(action),
  })),
].sort((a, b) => a.group.localeCompare(b.group) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Whether what was typed finds this choice: every word in the action or its description. */
export function matchesActionChoice(typed: string, choice: ActionChoice): boolean {
  const words = typed.toLowerCase().replace(/\*/g, ' ').split(/\s+/).filter(Boolean);
  const text = `${choice.id} ${choice.description}`.toLowerCase();
  return words.every((word) => text.includes(word));
}
