import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@mui/material';
import { useDataProvider, useGetIdentity, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { Permission, readableLength } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import { usePermission } from '../policy/usePermission';

type Decision = 'approve' | 'reject';

// The API refuses a rejection that does not say why.
const REJECT_COMMENT_MIN_LENGTH = 3;

const DecisionDialog = ({
  decision,
  request,
  onClose,
}: {
  decision: Decision;
  request: ChangeRequest;
  onClose: () => void;
}) => {
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const commentError =
    decision === 'reject' && readableLength(comment) < REJECT_COMMENT_MIN_LENGTH
      ? 'Say why the request is rejected'
      : undefined;

  const submit = async () => {
    setTouched(true);
    if (commentError) return;
    setBusy(true);
    setError(null);
    try {
      if (decision === 'approve') {
        await dataProvider.approveChangeRequest(request.id, comment);
        // A bulk request is applied by a run that starts now, account after account.
        notify(
          request.targetType === 'bulk' ? 'Approved: the accounts are being changed' : 'Approved and applied',
          {
            type: 'success',
          },
        );
      } else {
        await dataProvider.rejectChangeRequest(request.id, comment);
        notify('Rejected', { type: 'info' });
      }
      refresh();
      onClose();
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : 'The decision failed.';
      setError(message);
      // A failed approval ends the request, and the refreshed page then offers no decision, so this
      // dialog goes with it: the notification keeps the answer on screen.
      notify(`Not done: ${message}`, { type: 'error' });
      refresh();
    } finally {
      setBusy(false);
    }
  };

  const title = decision === 'approve' ? 'Approve this change' : 'Reject this change';
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="decision-title"
    >
      <DialogTitle id="decision-title">{title}</DialogTitle>
      <DialogContent>
        <TextField
          label={decision === 'approve' ? 'Comment (optional)' : 'Why is it rejected?'}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          onBlur={() => setTouched(true)}
          error={touched && !!commentError}
          helperText={touched ? commentError : undefined}
          required={decision === 'reject'}
          multiline
          minRows={2}
          fullWidth
          autoFocus
          margin="dense"
        />
        {error && (
          <Alert severity="error" sx={{ mt: 1 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color={decision === 'approve' ? 'primary' : 'error'}
          onClick={submit}
          disabled={busy}
        >
          {decision === 'approve' ? 'Approve' : 'Reject'}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

/**
 * Approve and Reject for a pending request, to those who may decide. Nobody is offered a
 * decision on their own request (four eyes); the API refuses it anyway. The requester, whatever
 * their permissions, reads instead that it waits for someone else.
 */
export const DecisionButtons = () => {
  const request = useRecordContext<ChangeRequest>();
  const canDecide = usePermission(Permission.ChangeRequestApprove);
  const { identity, isPending } = useGetIdentity();
  const [open, setOpen] = useState<Decision | null>(null);
  if (!request || request.status !== 'pending' || isPending) return null;
  if (identity && String(identity.id) === request.requestedBy.id) {
    return (
      <Alert severity="info" variant="outlined" data-testid="own-request">
        You requested this change: someone else must approve or reject it.
      </Alert>
    );
  }
  if (!canDecide) return null;
  return (
    <Box sx={{ display: 'flex', gap: 1 }}>
      <Button variant="contained" onClick={() => setOpen('approve')}>
        Approve
      </Button>
      <Button variant="outlined" color="error" onClick={() => setOpen('reject')}>
        Reject
      </Button>
      {open && <DecisionDialog decision={open} request={request} onClose={() => setOpen(null)} />}
    </Box>
  );
};
