/**
 * What the console keeps in a browser tab (sessionStorage) between pages, e.g. the bulk request
 * filed last. Every key starts with this prefix, so that one sign-out can forget them all.
 */
export const TAB_STATE_PREFIX = 'custodian.';

type Store = Pick<Storage, 'length' | 'key' | 'removeItem'>;

/**
 * Forgets the console's state of this tab. Called when the person signs out or their session ends:
 * whoever signs in next in the same tab must not find the previous person's requests.
 */
export function forgetTabState(store: Store | undefined = globalThis.sessionStorage): void {
  if (!store) return;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(TAB_STATE_PREFIX)) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}
