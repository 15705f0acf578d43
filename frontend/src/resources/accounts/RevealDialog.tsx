import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { Form, TextInput, useDataProvider, useRecordContext } from 'react-admin';
import {
  readableLength,
  REVEAL_REASON_MIN_LENGTH,
  type Account,
  type RevealableField,
} from '@custodian/shared';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import { useReveals } from './reveal';

export const REVEAL_LABELS: Record<RevealableField, string> = {
  email: 'email',
  phone: 'phone',
  dateOfBirth: 'date of birth',
  address: 'address',
  conversations: 'conversations',
};

/** A reason the API accepts: at least the minimum of characters a reader sees. */
export function validateReason(value: unknown): string | undefined {
  const length = typeof value === 'string' ? readableLength(value) : 0;
  if (length === 0) return 'Say why you need to see this';
  if (length < REVEAL_REASON_MIN_LENGTH) return `Say why in at least ${REVEAL_REASON_MIN_LENGTH} characters`;
  return undefined;
}

interface RevealDialogProps {
  field: RevealableField;
  open: boolean;
  onClose: () => void;
  /** Called once the grant is in, e.g. to fetch lists that now arrive in clear. */
  onRevealed?: () => void;
}

interface RevealFormValues {
  reason?: string;
  ticket?: string;
}

/** Asks why, reveals one field of the account in context, and hands the grant to the page. */
export const RevealDialog = ({ field, open, onClose, onRevealed }: RevealDialogProps) => {
  const account = useRecordContext<Account>();
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const { addGrant } = useReveals();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const label = REVEAL_LABELS[field];

  const submit = async (values: RevealFormValues) => {
    if (!account) return;
    setSending(true);
    setError(null);
    try {
      const ticket = values.ticket?.trim();
      const response = await dataProvider.reveal(account.id, {
        fields: [field],
        reason: (values.reason ?? '').trim(),
        ...(ticket ? { ticket } : {}),
      });
      addGrant(response);
      onRevealed?.();
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The reveal failed.');
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={sending ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="reveal-title"
    >
      <DialogTitle id="reveal-title">Reveal {label}</DialogTitle>
      <Form onSubmit={(values: RevealFormValues) => submit(values)} noValidate>
        <DialogContent sx={{ pt: 0 }}>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            The clear {label} is shown for a limited time. Your reason is recorded in the audit log with your
            name.
          </Typography>
          <TextInput
            source="reason"
            label="Reason"
            multiline
            minRows={2}
            validate={validateReason}
            helperText={`At least ${REVEAL_REASON_MIN_LENGTH} characters`}
            autoFocus
          />
          <TextInput source="ticket" label="Ticket (optional)" helperText="e.g. SUP-1234" />
          {error && (
            <Alert severity="error" sx={{ mt: 1 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={sending}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={sending}>
            Reveal
          </Button>
        </DialogActions>
      </Form>
    </Dialog>
  );
};
