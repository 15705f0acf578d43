import { describe, expect, it } from 'vitest';
import {
  LAST_REQUEST_KEY,
  openingRequest,
  readLastRequest,
  rememberRequest,
  type Filed,
} from './lastRequest';

/** The tab's session storage, as a map. */
function tabStore(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    key: (index: number) => [...values.keys()][index] ?? null,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

const filed: Filed = {
  changeRequestId: '22222222-2222-4222-8222-222222222222',
  total: 3,
  applicable: 2,
  skipped: 1,
};

describe('the request the bulk page opens on', () => {
  it('is the one filed last in this tab when the page is opened from the menu', () => {
    const store = tabStore();
    rememberRequest(store, filed);
    expect(openingRequest(store, null)).toEqual(filed);
    expect(openingRequest(store, null)).toEqual(filed);
  });

  it('is none when ids are handed over, and stays none when the page is opened later from the menu', () => {
    const store = tabStore();
    rememberRequest(store, filed);
    expect(openingRequest(store, '11111111-1111-4111-8111-111111111111')).toBeNull();
    expect(openingRequest(store, null)).toBeNull();
  });

  it('is none when nothing readable was stored', () => {
    const store = tabStore();
    expect(openingRequest(store, null)).toBeNull();
    store.setItem(LAST_REQUEST_KEY, '{not json');
    expect(readLastRequest(store)).toBeNull();
    store.setItem(LAST_REQUEST_KEY, JSON.stringify({ total: 1 }));
    expect(readLastRequest(store)).toBeNull();
  });
});
