import { expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD } from '../fixtures/test';

export interface AccountRecord {
  id: string;
  handle: string;
  email?: string;
  phone?: string;
  status: string;
  plan?: string;
  version: number;
  masked: string[];
}

/**
 * A staff member's own API session for test setup (the cookie plus the CSRF token that writes
 * need), kept apart from the browser's so that setup leaves the page's grants untouched.
 */
export class CustodianApi {
  private constructor(
    readonly context: APIRequestContext,
    private readonly csrfToken: string,
  ) {}

  static async signIn(baseURL: string, email: string): Promise<CustodianApi> {
    const context = await playwrightRequest.newContext({ baseURL });
    const response = await context.post('/api/auth/login', { data: { email, password: DEMO_PASSWORD } });
    expect(response.status(), `signing in as ${email}: ${await response.text()}`).toBe(200);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return new CustodianApi(context, csrfToken);
  }

  async get<T>(path: string): Promise<T> {
    const response = await this.context.get(`/api${path}`);
    expect(response.status(), `GET ${path}: ${await response.text()}`).toBe(200);
    return (await response.json()) as T;
  }

  async post<T>(path: string, data: unknown, status = 200): Promise<T> {
    const response = await this.context.post(`/api${path}`, {
      data,
      headers: { 'X-CSRF-Token': this.csrfToken },
    });
    expect(response.status(), `POST ${path}: ${await response.text()}`).toBe(status);
    return (await response.json()) as T;
  }

  async patch<T>(path: string, data: unknown, status = 200): Promise<T> {
    const response = await this.context.patch(`/api${path}`, {
      data,
      headers: { 'X-CSRF-Token': this.csrfToken },
    });
    expect(response.status(), `PATCH ${path}: ${await response.text()}`).toBe(status);
    return (await response.json()) as T;
  }

  /** Active accounts by handle; tests take different ones so they do not meet. */
  async activeAccount(index: number): Promise<AccountRecord> {
    const summary = (await this.activeAccountsByHandle())[index];
    if (!summary) throw new Error(`no active account #${index} in the demo data`);
    return this.get<AccountRecord>(`/accounts/${summary.id}`);
  }

  /**
   * The first active account from the `from`-th by handle that has conversations, or (`false`)
   * none: the Conversations tab offers a reveal only where there is something to reveal.
   */
  async activeAccountByConversations(from: number, withConversations = true): Promise<AccountRecord> {
    for (const summary of (await this.activeAccountsByHandle()).slice(from)) {
      const { data } = await this.get<{ data: unknown[] }>(`/accounts/${summary.id}/conversations?limit=1`);
      if (data.length > 0 === withConversations) return this.get<AccountRecord>(`/accounts/${summary.id}`);
    }
    throw new Error(
      `no active account from #${from} ${withConversations ? 'with' : 'without'} conversations`,
    );
  }

  private async activeAccountsByHandle(): Promise<AccountRecord[]> {
    return (await this.get<{ data: AccountRecord[] }>('/accounts?status=active&sort=handle&limit=100')).data;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
  }
}
