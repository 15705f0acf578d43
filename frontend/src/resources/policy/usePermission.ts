import { useCanAccess } from 'react-admin';
import type { Permission } from '@custodian/shared';

/**
 * The react-admin access check that stands for one permission of the shared catalogue.
 *
 * The console asks `authProvider.canAccess` (built from the same policy) rather than reading
 * permissions itself; this is the one place where a permission becomes a resource and an action,
 * in the authProvider's vocabulary: field-level resources `accounts.<field>` with `reveal`,
 * operations as actions on `accounts`, `list` for reading a resource. Hiding a control is a
 * courtesy: the API checks every request again.
 */
export function accessFor(permission: Permission): { resource: string; action: string } {
  const [area = '', ...rest] = permission.split('.');
  const verb = rest.join('.');
  switch (area) {
    case 'account':
      if (verb.startsWith('reveal.')) return { resource: `accounts.${rest[1]}`, action: 'reveal' };
      if (verb.startsWith('operation.')) return { resource: 'accounts', action: rest.slice(1).join('.') };
      return { resource: 'accounts', action: 'show' };
    case 'audit':
      return { resource: 'audit-events', action: verb === 'read' ? 'list' : verb };
    case 'change_request':
      return { resource: 'change-requests', action: verb === 'read' ? 'list' : verb };
    case 'staff':
      return { resource: 'staff', action: verb === 'read' ? 'list' : 'create' };
    case 'bulk_operation':
      return { resource: 'bulk-operations', action: verb };
    case 'policy':
      // The policy page is open to everyone signed in; its access review needs policy.read.
      return { resource: 'policy', action: 'review' };
    default:
      return { resource: area, action: verb };
  }
}

/** Whether the signed-in person holds `permission`; `false` while the answer is pending. */
export function usePermission(permission: Permission | undefined): boolean {
  const check = permission ? accessFor(permission) : { resource: 'accounts', action: 'none' };
  const { canAccess, isPending } = useCanAccess({ ...check, enabled: permission !== undefined });
  return permission !== undefined && !isPending && canAccess === true;
}
