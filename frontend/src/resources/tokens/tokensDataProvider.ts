/**
 * Data provider of the `tokens` resource: the signed-in person's own personal access tokens
 * (`/api/auth/tokens`). The list is short and unpaged; a created token's value is in the create
 * result only, and the console never keeps it.
 */
import type {
  CreateParams,
  DataProvider,
  DeleteParams,
  GetListParams,
  GetManyParams,
  GetOneParams,
  Identifier,
  QueryFunctionContext,
  RaRecord,
} from 'react-admin';
import type { CreatedToken, TokenSummary } from '@custodian/shared';
import { apiFetch } from '../../providers/http';

export interface CreateTokenInput {
  name: string;
  expiresInDays: number;
  permissions?: string[];
}

/** Newest first; the API's order is not part of the contract. */
const newestFirst = (a: TokenSummary, b: TokenSummary) => b.createdAt.localeCompare(a.createdAt);

/** The API's shapes are react-admin records (each has an `id`); the generics cannot see that. */
const records = <T>(value: unknown): T => value as T;

const unsupported = (method: string) => () =>
  Promise.reject(new Error(`"${method}" is not supported on personal access tokens.`));

export function createTokensDataProvider(): DataProvider {
  const list = async (signal?: AbortSignal) =>
    (await apiFetch<{ data: TokenSummary[] }>('/auth/tokens', { signal })).data.sort(newestFirst);

  const byIds = async (ids: Identifier[], signal?: AbortSignal) => {
    const wanted = new Set(ids.map(String));
    return (await list(signal)).filter((t) => wanted.has(t.id));
  };

  return {
    getList: async <R extends RaRecord>(_resource: string, params: GetListParams & QueryFunctionContext) => {
      const data = await list(params.signal);
      return { data: records<R[]>(data), total: data.length };
    },
    getOne: async <R extends RaRecord>(_resource: string, params: GetOneParams<R> & QueryFunctionContext) => {
      const [token] = await byIds([params.id], params.signal);
      if (!token) throw new Error('No such token');
      return { data: records<R>(token) };
    },
    getMany: async <R extends RaRecord>(
      _resource: string,
      params: GetManyParams<R> & QueryFunctionContext,
    ) => ({
      data: records<R[]>(await byIds(params.ids, params.signal)),
    }),
    create: async <R extends Omit<RaRecord, 'id'>, T extends RaRecord = R & { id: Identifier }>(
      _resource: string,
      params: CreateParams<R>,
    ) => {
      const input = params.data as unknown as CreateTokenInput;
      const body: CreateTokenInput = { name: input.name.trim(), expiresInDays: Number(input.expiresInDays) };
      if (input.permissions) body.permissions = input.permissions;
      const created = await apiFetch<CreatedToken>('/auth/tokens', { method: 'POST', body });
      return { data: records<T>({ ...created, name: body.name }) };
    },
    delete: async <R extends RaRecord>(_resource: string, params: DeleteParams<R>) => {
      await apiFetch<void>(`/auth/tokens/${encodeURIComponent(String(params.id))}`, { method: 'DELETE' });
      return { data: (params.previousData ?? { id: params.id }) as R };
    },
    getManyReference: unsupported('getManyReference'),
    update: unsupported('update'),
    updateMany: unsupported('updateMany'),
    deleteMany: unsupported('deleteMany'),
  };
}
