import type { Identifier } from 'react-admin';

/**
 * What the accounts list hands to the bulk operations page: the selected ids, in router state
 * (not in the address, so a long selection never makes a long URL, and a reload does not refill
 * the form). The bulk page reads it with `accountIdsFromState` and still parses and validates the
 * ids as if they had been pasted.
 */
export interface BulkSelectionState {
  accountIds: string[];
}

export function bulkSelectionState(selectedIds: readonly Identifier[]): BulkSelectionState {
  return { accountIds: selectedIds.map(String) };
}

/** The selected ids as copied to the clipboard: one a line, the way the bulk page reads them. */
export function idsClipboardText(selectedIds: readonly Identifier[]): string {
  return selectedIds.map(String).join('\n');
}

/** What the bulk actions bar says of the selection (it is kept while paging, see AccountList). */
export function selectionLabel(count: number): string {
  const accounts = count === 1 ? '1 account' : `${count} accounts`;
  return `${accounts} selected (kept across pages)`;
}
