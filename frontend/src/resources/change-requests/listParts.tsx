import { Link } from '@mui/material';
import { DataTable, ReferenceField, SelectInput, useRecordContext, useResourceContext } from 'react-admin';
import { CHANGE_REQUEST_STATUSES, type AccountSummary } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { RowLink } from '../../layout/RowLink';
import { accountHref, formatDateTime } from '../accounts/format';
import { accountTargetText, requestLabel, requestTarget, targetAccountId } from './requestLabel';
import { statusLabel } from './requestState';
import { changeRequestHref } from './href';

/*
 * What the reviewers' queue and a requester's own list show alike: the status filter and the
 * columns that say when a request was made and what it would do.
 */

const Column = DataTable.Col<ChangeRequest>;

const STATUS_CHOICES = CHANGE_REQUEST_STATUSES.map((status) => ({ id: status, name: statusLabel(status) }));

export const requestFilters = [
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn emptyText="Any status" />,
];

/** The target account (the reference's record) by its handle, linked to its page. */
const AccountHandleLink = () => {
  const account = useRecordContext<AccountSummary>();
  if (!account) return null;
  return (
    <Link
      href={accountHref(String(account.id))}
      // The row opens the request; the link opens the account.
      onClick={(event) => event.stopPropagation()}
    >
      {accountTargetText(account)}
    </Link>
  );
};

/**
 * A request's target (the record context's request): an account by its handle (fetched through react-admin's reference, one
 * batched getMany for the page), anything else (a staff member, a bulk) in words as before. An
 * account the reader cannot read is left out of that getMany by the data provider; its row names
 * it by id, unlinked, while the other rows keep their handles.
 */
export const TargetField = () => {
  const request = useRecordContext<ChangeRequest>();
  if (!request) return null;
  if (!targetAccountId(request)) return <>{requestTarget(request)}</>;
  return (
    <ReferenceField<ChangeRequest, AccountSummary>
      source="targetId"
      reference="accounts"
      link={false}
      empty={requestTarget(request)}
    >
      <AccountHandleLink />
    </ReferenceField>
  );
};

/** The operation, linked to the request's page in the list it is read from. */
const OperationLink = ({ request }: { request: ChangeRequest }) => {
  const list = useResourceContext() === 'my-change-requests' ? 'my-change-requests' : 'change-requests';
  return <RowLink href={changeRequestHref(request.id, list)}>{requestLabel(request)}</RowLink>;
};

/** Requested, operation and target: the first columns of both lists. */
export const RequestColumns = () => (
  <>
    <Column
      source="createdAt"
      label="Requested"
      disableSort
      sx={{ whiteSpace: 'nowrap' }}
      render={(request) => formatDateTime(request.createdAt)}
    />
    <Column source="operation" disableSort render={(request) => <OperationLink request={request} />} />
    <Column label="Target" disableSort>
      <TargetField />
    </Column>
  </>
);
