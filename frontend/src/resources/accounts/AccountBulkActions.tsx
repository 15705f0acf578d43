import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import { BulkActionsToolbar, Button, useListContext, useNavigate, useNotify } from 'react-admin';
import { bulkSelectionState, idsClipboardText, selectionLabel } from './selection';

/** Opens the bulk operations form with the selected accounts' ids filled in. */
const BulkOperationButton = () => {
  const { selectedIds } = useListContext();
  const navigate = useNavigate();
  return (
    <Button
      label="Bulk operation…"
      onClick={() => navigate('/bulk-operations', { state: bulkSelectionState(selectedIds) })}
    >
      <PlaylistAddCheckIcon />
    </Button>
  );
};

/** Copies the selected accounts' ids, one a line (what the bulk form and most tools read). */
const CopyIdsButton = () => {
  const { selectedIds } = useListContext();
  const notify = useNotify();
  const copy = async () => {
    const count = selectedIds.length;
    try {
      await navigator.clipboard.writeText(idsClipboardText(selectedIds));
      notify(count === 1 ? 'Copied 1 account id' : `Copied ${count} account ids`, { type: 'info' });
    } catch {
      // No clipboard permission (or an insecure origin).
      notify('Copying is not allowed here.', { type: 'warning' });
    }
  };
  return (
    <Button label="Copy ids" onClick={() => void copy()}>
      <ContentCopyIcon />
    </Button>
  );
};

/**
 * The bar shown over the accounts list once rows are selected. react-admin keeps the selection
 * in its store while the reader pages on, so the bar says so. No "select all": the API's lists
 * are cursor-paged with no total, and a bulk operation is meant for accounts someone looked at.
 */
export const AccountBulkActions = () => {
  const { selectedIds } = useListContext();
  return (
    <BulkActionsToolbar label={selectionLabel(selectedIds.length)} selectAllButton={false}>
      <BulkOperationButton />
      <CopyIdsButton />
    </BulkActionsToolbar>
  );
};
