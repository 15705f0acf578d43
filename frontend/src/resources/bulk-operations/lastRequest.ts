import type { BulkPreview } from '../../providers/dataProvider';
import { TAB_STATE_PREFIX } from '../../providers/tabState';

/** A filed request as the page remembers it: enough to follow it, not its (stale) items. */
export type Filed = Pick<BulkPreview, 'total' | 'applicable' | 'skipped'> & { changeRequestId: string };

/**
 * The request filed last in this tab, so that coming back to the page (from the menu, or after
 * following a link) still shows it rather than an empty form.
 */
export const LAST_REQUEST_KEY = `${TAB_STATE_PREFIX}bulk.lastRequest`;

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function readLastRequest(store: Store): Filed | null {
  try {
    const stored = JSON.parse(store.getItem(LAST_REQUEST_KEY) ?? 'null') as Filed | null;
    return typeof stored?.changeRequestId === 'string' ? stored : null;
  } catch {
    return null;
  }
}

export function rememberRequest(store: Store, filed: Filed | null): void {
  if (filed) store.setItem(LAST_REQUEST_KEY, JSON.stringify(filed));
  else store.removeItem(LAST_REQUEST_KEY);
}

/**
 * The request the page opens on. Ids handed over from the accounts list start a new bulk
 * operation, and that puts the request filed before aside for good: it is forgotten, not only
 * hidden, or opening the page later from the menu would bring it back as if it were the latest.
 * Without handed ids, the request filed last in this tab.
 */
export function openingRequest(store: Store, handedIds: string | null): Filed | null {
  if (handedIds === null) return readLastRequest(store);
  rememberRequest(store, null);
  return null;
}
