import { useState, type ChangeEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, Link, TextField, Typography } from '@mui/material';
import {
  Form,
  FormDataConsumer,
  SelectInput,
  TextInput,
  Title,
  useCanAccess,
  useDataProvider,
} from 'react-admin';
import type {
  BulkOperationRequest,
  BulkPreview,
  BulkRequested,
  CustodianDataProvider,
} from '../../providers/dataProvider';
import { paramInputs, validateOperationReason } from '../operations/operationForm';
import { ParamField } from '../operations/ParamField';
import { BULK_MAX_IDS, parseAccountIds } from './accountIds';
import { BULK_PREVIEW_ROWS, OPERATION_CHOICES, buildBulkRequest, definitionOf } from './bulkForm';
import { BulkItemsTable } from './BulkItemsTable';
import { BulkProgressPanel } from './BulkProgressPanel';

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

const Summary = ({ result }: { result: BulkPreview | BulkRequested }) => (
  <Box sx={{ mt: 2 }}>
    <Typography variant="body1" data-testid="bulk-summary">
      Total {result.total} · {result.applicable} applicable · {result.skipped} skipped
    </Typography>
    {result.items.length > BULK_PREVIEW_ROWS && (
      <Typography variant="body2" color="text.secondary">
        Showing the first {BULK_PREVIEW_ROWS} of {result.items.length} accounts.
      </Typography>
    )}
  </Box>
);

/**
 * One operation on many accounts: choose it, fill its parameters, paste or upload the account
 * ids, preview the dry run, then request it. A bulk operation always waits for a second person
 * (on the Change requests page); once approved, the progress panel follows it to the end.
 */
export const BulkOperationsPage = () => {
  const { canAccess, isPending } = useCanAccess({ resource: 'bulk-operations', action: 'create' });
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const [idsText, setIdsText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ request: BulkOperationRequest; result: BulkPreview } | null>(null);
  const [requested, setRequested] = useState<BulkRequested | null>(null);
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
      setRequested(await dataProvider.runBulkOperation(preview.request));
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
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
            <Alert severity="info" role="status">
              Waiting for approval (change request {requested.changeRequestId})
            </Alert>
            <Summary result={requested} />
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
              A supervisor approves or rejects it on the Change requests page. Nothing changes until then.
              Follow it under{' '}
              <Link href={`#/my-change-requests/${encodeURIComponent(requested.changeRequestId)}/show`}>
                My requests
              </Link>
              .
            </Typography>
            <BulkProgressPanel id={requested.changeRequestId} />
            <Button sx={{ mt: 2 }} onClick={startOver}>
              New bulk operation
            </Button>
          </>
        ) : (
          <Form onSubmit={(values: Record<string, unknown>) => runPreview(values)} noValidate>
            <Box sx={{ maxWidth: 700 }}>
              <SelectInput
                source="operation"
                label="Operation"
                choices={OPERATION_CHOICES}
                validate={(value: unknown) => (definitionOf(value) ? undefined : 'Choose an operation')}
                onChange={() => setPreview(null)}
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
                  {parsed.ids.length} account {parsed.ids.length === 1 ? 'id' : 'ids'} read
                  {fileName ? ` from ${fileName}` : ''}
                  {parsed.duplicates > 0 ? ` (${parsed.duplicates} duplicates ignored)` : ''}
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
                <Button variant="contained" disabled={busy || !preview} onClick={() => void runRequest()}>
                  Request
                </Button>
              </Box>
            </Box>
            {preview && (
              <Box sx={{ mt: 2 }}>
                <Summary result={preview.result} />
                <BulkItemsTable items={preview.result.items} />
              </Box>
            )}
          </Form>
        )}
      </CardContent>
    </Card>
  );
};
