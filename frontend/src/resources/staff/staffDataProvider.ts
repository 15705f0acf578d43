/**
 * Data provider of the `staff` resource (`/api/staff`, API.md "Staff and policy").
 *
 * The API returns the whole staff list at once (`nextCursor` is always null), so sorting,
 * the search box and paging happen here. Updates send only `roles` and `active`, the two fields
 * the API lets an admin change.
 */
import type {
  CreateParams,
  DataProvider,
  GetListParams,
  GetManyParams,
  GetOneParams,
  Identifier,
  QueryFunctionContext,
  RaRecord,
  UpdateParams,
} from 'react-admin';
import type { StaffMember } from '@custodian/shared';
import { apiFetch } from '../../providers/http';

export interface StaffInput {
  email: string;
  displayName: string;
  roles: string[];
  passwordSignIn?: boolean;
}

/**
 * The create answer: the new person (with no roles yet), their first password unless they sign in
 * by SSO, and the change request holding the roles asked for, which a second admin must approve.
 */
export type CreatedStaffMember = StaffMember & { initialPassword?: string; pendingChangeRequestId?: string };

const segment = (id: Identifier) => encodeURIComponent(String(id));

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

/** Filters, sorts and pages the full list the way react-admin asks. */
export function selectStaff(all: StaffMember[], params: Partial<GetListParams>): StaffMember[] {
  const q = typeof params.filter?.q === 'string' ? params.filter.q.trim().toLowerCase() : '';
  const active: unknown = params.filter?.active;
  let rows = all.filter(
    (s) =>
      (!q || s.email.toLowerCase().includes(q) || s.displayName.toLowerCase().includes(q)) &&
      (typeof active !== 'boolean' || s.active === active),
  );
  const field = params.sort?.field as keyof StaffMember | undefined;
  if (field) {
    const sign = params.sort?.order === 'DESC' ? -1 : 1;
    rows = [...rows].sort((a, b) => sign * compare(a[field], b[field]));
  }
  return rows;
}

/** The API's shapes are react-admin records (each has an `id`); the generics cannot see that. */
const records = <T>(value: unknown): T => value as T;

const unsupported = (method: string) => () =>
  Promise.reject(new Error(`"${method}" is not supported on staff.`));

export function createStaffDataProvider(): DataProvider {
  const one = (id: Identifier, signal?: AbortSignal) =>
    apiFetch<StaffMember>(`/staff/${segment(id)}`, { signal });

  return {
    getList: async <R extends RaRecord>(_resource: string, params: GetListParams & QueryFunctionContext) => {
      const all = (await apiFetch<{ data: StaffMember[] }>('/staff', { signal: params.signal })).data;
      const rows = selectStaff(all, params);
      const { page = 1, perPage = rows.length || 1 } = params.pagination ?? {};
      return { data: records<R[]>(rows.slice((page - 1) * perPage, page * perPage)), total: rows.length };
    },
    getOne: async <R extends RaRecord>(
      _resource: string,
      params: GetOneParams<R> & QueryFunctionContext,
    ) => ({
      data: records<R>(await one(params.id, params.signal)),
    }),
    getMany: async <R extends RaRecord>(
      _resource: string,
      params: GetManyParams<R> & QueryFunctionContext,
    ) => ({
      data: records<R[]>(await Promise.all(params.ids.map((id) => one(id, params.signal)))),
    }),
    create: async <R extends Omit<RaRecord, 'id'>, T extends RaRecord = R & { id: Identifier }>(
      _resource: string,
      params: CreateParams<R>,
    ) => {
      const input = params.data as unknown as StaffInput;
      const body: StaffInput = {
        email: input.email.trim(),
        displayName: input.displayName.trim(),
        roles: input.roles ?? [],
      };
      if (typeof input.passwordSignIn === 'boolean') body.passwordSignIn = input.passwordSignIn;
      const created = await apiFetch<CreatedStaffMember>('/staff', { method: 'POST', body });
      return { data: records<T>(created) };
    },
    update: async <R extends RaRecord>(_resource: string, params: UpdateParams<R>) => {
      const next = params.data as Partial<StaffMember>;
      const before = params.previousData as Partial<StaffMember> | undefined;
      const body: { roles?: string[]; active?: boolean } = {};
      if (
        Array.isArray(next.roles) &&
        String([...next.roles].sort()) !== String([...(before?.roles ?? [])].sort())
      ) {
        body.roles = next.roles;
      }
      if (typeof next.active === 'boolean' && next.active !== before?.active) body.active = next.active;
      const data =
        Object.keys(body).length === 0
          ? await one(params.id)
          : await apiFetch<StaffMember>(`/staff/${segment(params.id)}`, { method: 'PATCH', body });
      return { data: records<R>(data) };
    },
    getManyReference: unsupported('getManyReference'),
    updateMany: unsupported('updateMany'),
    delete: unsupported('delete'),
    deleteMany: unsupported('deleteMany'),
  };
}
