import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
  Typography,
} from '@mui/material';
import { Form, TextInput, useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import type { Account, OperationDefinition } from '@custodian/shared';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import type { FieldChanges, OperationRequestBody } from '../../providers/contracts';
import { DiffTable } from '../audit-events/DiffTable';
import { statusOf } from '../../providers/http';
import {
  approvalHint,
  buildOperationBody,
  confirmStep,
  emptyPreview,
  isStaleVersion,
  paramInputs,
  validateOperationReason,
} from './operationForm';
import { ParamField } from './ParamField';
import { changeRequestHref } from '../change-requests/href';

const NO_RECORD = {};

type Step =
  | { name: 'form' }
  // `stale`: Confirm was refused because the account changed; this body must not be sent again.
  | { name: 'preview'; body: OperationRequestBody; changes: FieldChanges; stale?: boolean }
  | { name: 'pending'; changeRequestId: string };

interface OperationDialogProps {
  definition: OperationDefinition;
  capCents?: number;
  onClose: () => void;
}

/**
 * One operation on the account in context: a form built from the catalogue, then a dry run
 * showing the exact diff, then Confirm. The version sent is the one the person looked at, so a
 * change made meanwhile is refused (409) instead of overwritten.
 */
export const OperationDialog = ({ definition, capCents, onClose }: OperationDialogProps) => {
  const account = useRecordContext<Account>();
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [step, setStep] = useState<Step>({ name: 'form' });
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = paramInputs(definition);

  if (!account) return null;

  const fail = (caught: unknown) =>
    setError(caught instanceof Error ? caught.message : 'The operation failed.');

  const preview = async (formValues: Record<string, unknown>, version = account.version) => {
    setValues(formValues);
    setBusy(true);
    setError(null);
    const body = buildOperationBody(definition, formValues, version);
    try {
      const result = await dataProvider.runOperation(account.id, definition.name, body, { dryRun: true });
      if (result.status === 'preview') setStep({ name: 'preview', body, changes: result.changes });
    } catch (caught) {
      fail(caught);
      // The dry run checks the version too: read the account again, so Preview sends the new one.
      if (isStaleVersion(caught, statusOf(caught))) refresh();
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (body: OperationRequestBody) => {
    setBusy(true);
    setError(null);
    try {
      const result = await dataProvider.runOperation(account.id, definition.name, body);
      if (result.status === 'pending_approval') {
        setStep({ name: 'pending', changeRequestId: result.changeRequestId });
      } else if (result.status === 'applied') {
        notify(`${definition.label}: applied`, { type: 'success' });
        refresh();
        onClose();
      }
    } catch (caught) {
      fail(caught);
      // A 409 means the account changed meanwhile: read it again so a new preview uses its version,
      // and keep this body from being sent again.
      refresh();
      if (isStaleVersion(caught, statusOf(caught)) && step.name === 'preview') {
        setStep({ ...step, stale: true });
      }
    } finally {
      setBusy(false);
    }
  };

  /** Reads the account again and runs the dry run once more with its current version. */
  const previewWithLatest = async () => {
    setBusy(true);
    try {
      const { data } = await dataProvider.getOne<Account>('accounts', { id: account.id });
      await preview(values, data.version);
    } catch (caught) {
      fail(caught);
      setBusy(false);
    }
  };

  const back = () => {
    // The error belonged to the preview (a refused Confirm): the form starts clean.
    setError(null);
    setStep({ name: 'form' });
  };

  const closeAfterRequest = () => {
    refresh();
    onClose();
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="operation-title"
    >
      <DialogTitle id="operation-title">{definition.label}</DialogTitle>
      {step.name === 'form' && (
        <Form
          onSubmit={(submitted: Record<string, unknown>) => preview(submitted)}
          // The parameters are new values, not the account's: react-admin's Form would otherwise
          // start from the account in context, and "New email" would hold its masked address.
          record={NO_RECORD}
          defaultValues={values}
          noValidate
        >
          <DialogContent sx={{ pt: 0 }}>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {approvalHint(definition, capCents)} Account version {account.version}.
            </Typography>
            {inputs.map((input) => (
              <ParamField key={input.name} input={input} />
            ))}
            <TextInput
              source="reason"
              label="Reason"
              multiline
              minRows={2}
              validate={validateOperationReason}
            />
            <TextInput source="ticket" label="Ticket (optional)" />
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
            <Button type="submit" variant="contained" disabled={busy}>
              Preview
            </Button>
          </DialogActions>
        </Form>
      )}
      {step.name === 'preview' && (
        <PreviewStep
          step={step}
          hint={confirmStep(definition, step.body, capCents)}
          empty={emptyPreview(definition, step.body)}
          error={error}
          busy={busy}
          onBack={back}
          onConfirm={() => confirm(step.body)}
          onPreviewAgain={previewWithLatest}
        />
      )}
      {step.name === 'pending' && (
        <>
          <DialogContent sx={{ pt: 0 }}>
            <Alert severity="info" role="status">
              Waiting for approval (request {step.changeRequestId})
            </Alert>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
              A person with the approve permission sees the exact diff and approves or rejects it. Nothing
              changes until then. Follow it under{' '}
              <Link href={changeRequestHref(step.changeRequestId, 'my-change-requests')}>My requests</Link>.
            </Typography>
          </DialogContent>
          <DialogActions>
            <Button variant="contained" onClick={closeAfterRequest}>
              Close
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
};

interface PreviewStepProps {
  step: Extract<Step, { name: 'preview' }>;
  hint: { hint: string; button: string };
  empty: string;
  error: string | null;
  busy: boolean;
  onBack: () => void;
  onConfirm: () => void;
  onPreviewAgain: () => void;
}

/** The dry run's diff, what confirming does, and its button (or, once stale, a fresh preview). */
const PreviewStep = ({
  step,
  hint,
  empty,
  error,
  busy,
  onBack,
  onConfirm,
  onPreviewAgain,
}: PreviewStepProps) => (
  <>
    <DialogContent sx={{ pt: 0 }}>
      <Typography variant="subtitle2" gutterBottom>
        What this operation will change
      </Typography>
      <DiffTable changes={step.changes} empty={empty} />
      <Box sx={{ mt: 2 }}>
        <Typography variant="body2" color="text.secondary">
          {hint.hint}
        </Typography>
      </Box>
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
    </DialogContent>
    <DialogActions>
      <Button onClick={onBack} disabled={busy}>
        Back
      </Button>
      {step.stale ? (
        <Button variant="contained" onClick={onPreviewAgain} disabled={busy}>
          Preview again with the latest version
        </Button>
      ) : (
        <Button variant="contained" onClick={onConfirm} disabled={busy}>
          {hint.button}
        </Button>
      )}
    </DialogActions>
  </>
);
