import { useEffect, useState, type ChangeEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, Link, TextField, Typography } from '@mui/material';
import {
  Form,
  FormDataConsumer,
  SelectInput,
  TextInput,
  Title,
  useCanAccess,
  useDataProvider,
  useLocation,
} from 'react-admin';
import { useFormContext } from 'react-hook-form';
import type { BulkOperationRequest, BulkPreview, CustodianDataProvider } from '../../providers/dataProvider';
import { paramInputs, validateOperationReason } from '../operations/operationForm';
import { ParamField } from '../operations/ParamField';
import { BULK_MAX_IDS, idsReadText, parseAccountIds } from './accountIds';
import {
  BULK_PREVIEW_ROWS,
  OPERATION_CHOICES,
  buildBulkRequest,
  bulkHeadline,
  definitionOf,
} from './bulkForm';
import { BulkItemsTable } from './BulkItemsTable';
import { handedIdsText } from './handedIds';
import { openingRequest, rememberRequest, type Filed } from './lastRequest';
import { BulkProgressPanel, useBulkProgress } from './BulkProgressPanel';
import { changeRequestHref } from '../change-requests/href';

/** The selected operation's parameters, rebuilt whenever the operation changes. */
const OperationParams = () => (
  <FormDataConsumer<{ operation?: string }>>
    {({ formData }) => {
      const definition = definitionOf(formData.operation);
      if (!definition) return null;
      return paramInputs(definition).map((input) => (
        <ParamField key={`${definition.name}.${input.name}`} input={input} />
      ));
    }}
  </FormDataConsumer>
);

/**
 * Clears the preview whenever a value of the form changes. Request files the body that was
 * previewed, so a plan, amount, reason or ticket edited after Preview must drop that preview:
 * otherwise the request filed would not be the one on the screen.
 */
const ClearPreviewOnEdit = ({ clearPreview }: { clearPreview: (preview: null) => void }) => {
  const { watch } = useFormContext();
  useEffect(() => {
    const subscription = watch(() => clearPreview(null));
    return () => subscription.unsubscribe();
  }, [watch, clearPreview]);
  return null;
};

type Counts = Pick<BulkPreview, 'total' | 'applicable' | 'skipped'>;

const Summary = ({ result }: { result: Counts }) => (
  <Typography variant="body1" data-testid="bulk-summary" sx={{ mt: 2 }}>
    Total {result.total} · {result.applicable} applicable · {result.skipped} skipped
  </Typography>
);

/** A filed request: its header follows the status the progress panel reads. */
const FiledRequest = ({ filed }: { filed: Filed }) => {
  const { progress, error } = useBulkProgress(filed.changeRequestId);
  const headline = bulkHeadline(progress?.status ?? 'pending');
  const href = changeRequestHref(filed.changeRequestId, 'my-change-requests');
  return (
    <>
      <Alert severity={headline.severity} role="status" data-testid="bulk-headline">
        {headline.title} (change request {filed.changeRequestId})
      </Alert>
      <Summary result={filed} />
      <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
        {headline.detail} Each account&apos;s outcome is on the request&apos;s page under{' '}
        <Link href={href}>My requests</Link>.
      </Typography>
      <BulkProgressPanel progress={progress} error={error} />
    </>
  );
};

/**
 * The page, started afresh on each visit: the menu's link to it, clicked while on a form filled
 * from a selection, reaches the same path without the ids, so it must not keep that form. Each
 * navigation has a key of its own.
 */
export const BulkOperationsPage = () => <BulkOperationsForm key={useLocation().key} />;

/**
 * One operation on many accounts: choose it, fill its parameters, paste or upload the account
 * ids, preview the dry run, then request it. A bulk operation always waits for a second person
 * (on the Change requests page); once approved, the progress panel follows it to the end.
 */
const BulkOperationsForm = () => {
  const { canAccess, isPending } = useCanAccess({ resource: 'bulk-operations', action: 'create' });
  const dataProvider = useDataProvider<CustodianDataProvider>();
  // Ids selected in the accounts list arrive in router state: they start a new bulk operation
  // (in place of the request filed last, which is forgotten) and are read like a paste.
  const handed = handedIdsText(useLocation().state);
  const [idsText, setIdsText] = useState(handed ?? '');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ request: BulkOperationRequest; result: BulkPreview } | null>(null);
  // A plan no account would follow (every one skipped) files a request that changes nothing.
  const nothingApplies = preview !== null && preview.result.applicable === 0;
  const [requested, setRequested] = useState<Filed | null>(() => openingRequest(sessionStorage, handed));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseAccountIds(idsText);

  if (isPending) return null;
  if (!canAccess) {
    return (
      <Card sx={{ mt: 2 }}>
        <Title title="Bulk operations" />
        <CardContent>
          <Alert severity="warning">You do not have permission to request bulk operations.</Alert>
        </CardContent>
      </Card>
    );
  }

  const fail = (caught: unknown) =>
    setError(caught instanceof Error ? caught.message : 'The request failed.');

  const readFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    file.text().then((text) => {
      setFileName(file.name);
      setIdsText(text);
      setPreview(null);
    }, fail);
  };

  const runPreview = async (values: Record<string, unknown>) => {
    const definition = definitionOf(values.operation);
    setError(null);
    setPreview(null);
    if (!definition) return setError('Choose an operation.');
    if (parsed.ids.length === 0) return setError('Paste or upload at least one account id.');
    if (parsed.ids.length > BULK_MAX_IDS) return setError(`At most ${BULK_MAX_IDS} accounts at once.`);
    const request = buildBulkRequest(definition, values, parsed.ids);
    setBusy(true);
    try {
      const result = await dataProvider.runBulkOperation(request, { dryRun: true });
      setPreview({ request, result });
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(false);
    }
  };

  const runRequest = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const { changeRequestId, total, applicable, skipped } = await dataProvider.runBulkOperation(
        preview.request,
      );
      const filed = { changeRequestId, total, applicable, skipped };
      rememberRequest(sessionStorage, filed);
      setRequested(filed);
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    rememberRequest(sessionStorage, null);
    setRequested(null);
    setPreview(null);
    setError(null);
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Bulk operations" />
      <CardContent>
        {requested ? (
          <>
            <FiledRequest key={requested.changeRequestId} filed={requested} />
            <Button sx={{ mt: 2 }} onClick={startOver}>
              New bulk operation
            </Button>
          </>
        ) : (
          <Form onSubmit={(values: Record<string, unknown>) => runPreview(values)} noValidate>
            <ClearPreviewOnEdit clearPreview={setPreview} />
            <Box sx={{ maxWidth: 700 }}>
              <SelectInput
                source="operation"
                label="Operation"
                choices={OPERATION_CHOICES}
                validate={(value: unknown) => (definitionOf(value) ? undefined : 'Choose an operation')}
              />
              <OperationParams />
              <TextInput
                source="reason"
                label="Reason"
                multiline
                minRows={2}
                validate={validateOperationReason}
              />
              <TextInput source="ticket" label="Ticket (optional)" />
              <TextField
                label="Account ids"
                helperText="One id per line, or upload a CSV with an id or accountId column."
                multiline
                minRows={4}
                maxRows={12}
                fullWidth
                value={idsText}
                onChange={(event) => {
                  setIdsText(event.target.value);
                  setFileName(null);
                  setPreview(null);
                }}
                slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
              />
              <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 1, flexWrap: 'wrap' }}>
                <Button component="label" variant="outlined" size="small">
                  Upload CSV
                  <input
                    type="file"
                    hidden
                    accept=".csv,.txt,text/csv,text/plain"
                    data-testid="bulk-file"
                    onChange={readFile}
                  />
                </Button>
                <Typography variant="body2" data-testid="ids-count">
                  {idsReadText(parsed, fileName)}
                </Typography>
              </Box>
              {parsed.invalidCount > 0 && (
                <Alert severity="warning" sx={{ mt: 1 }}>
                  {parsed.invalidCount} {parsed.invalidCount === 1 ? 'value is' : 'values are'} not an account
                  id and will be left out: {parsed.invalid.slice(0, 5).join(', ')}
                  {parsed.invalidCount > 5 ? ', …' : ''}
                </Alert>
              )}
              {parsed.ids.length > BULK_MAX_IDS && (
                <Alert severity="error" sx={{ mt: 1 }}>
                  At most {BULK_MAX_IDS} accounts at once.
                </Alert>
              )}
              {error && (
                <Alert severity="error" sx={{ mt: 1 }}>
                  {error}
                </Alert>
              )}
              <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
                <Button type="submit" variant="outlined" disabled={busy}>
                  Preview
                </Button>
                <Button
                  variant="contained"
                  disabled={busy || !preview || nothingApplies}
                  onClick={() => void runRequest()}
                >
                  Request
                </Button>
              </Box>
              {nothingApplies && (
                <Alert severity="info" sx={{ mt: 1 }} data-testid="nothing-applies">
                  None of these accounts would change: there is nothing to request.
                </Alert>
              )}
            </Box>
            {preview && (
              <Box sx={{ mt: 2 }}>
                <Summary result={preview.result} />
                {preview.result.items.length > BULK_PREVIEW_ROWS && (
                  <Typography variant="body2" color="text.secondary">
                    Showing the first {BULK_PREVIEW_ROWS} of {preview.result.items.length} accounts.
                  </Typography>
                )}
                <BulkItemsTable items={preview.result.items} />
              </Box>
            )}
          </Form>
        )}
      </CardContent>
    </Card>
  );
};
