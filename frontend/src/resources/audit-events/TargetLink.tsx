import { Link } from '@mui/material';
import { Permission, type AuditEvent } from '@custodian/shared';
import { accountHref } from '../accounts/format';
import { changeRequestHref } from '../change-requests/href';
import { usePermission } from '../policy/usePermission';

/**
 * An event's target, as a link to its page where the reader may open that page: an account, a
 * staff member (staff.read), a change request (change_request.read). A token has no page. In a
 * list row, whose click opens the event, the link opens the target instead.
 */
export const TargetLink = ({ target }: { target: AuditEvent['target'] }) => {
  const canReadStaff = usePermission(Permission.StaffRead);
  const canReadRequests = usePermission(Permission.ChangeRequestRead);
  if (!target) return <>—</>;
  const label = `${target.type} ${target.id}`;
  const href =
    target.type === 'account'
      ? accountHref(target.id)
      : target.type === 'staff' && canReadStaff
        ? `#/staff/${encodeURIComponent(target.id)}`
        : target.type === 'change_request' && canReadRequests
          ? changeRequestHref(target.id)
          : undefined;
  if (!href) return <>{label}</>;
  return (
    <Link href={href} onClick={(event) => event.stopPropagation()}>
      {label}
    </Link>
  );
};
