import { useEffect, useState } from 'react';
import { Alert, Box, LinearProgress, Typography } from '@mui/material';
import { useDataProvider } from 'react-admin';
import type { BulkProgress, CustodianDataProvider } from '../../providers/dataProvider';
import { bulkPercent, isBulkFinished } from './bulkForm';

export const BULK_POLL_MS = 2000;

/**
 * Polls `GET /api/bulk-operations/:id` every 2 s until the operation stops moving. The page's
 * header and the progress panel both read it, so they never disagree about the status.
 */
export function useBulkProgress(id: string): { progress: BulkProgress | null; error: string | null } {
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await dataProvider.getBulkOperation(id, controller.signal);
        setProgress(next);
        setError(null);
        if (isBulkFinished(next)) return;
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught instanceof Error ? caught.message : 'Cannot read the progress.');
      }
      timer = setTimeout(() => void poll(), BULK_POLL_MS);
    };
    void poll();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [dataProvider, id]);

  return { progress, error };
}

export const BulkProgressPanel = ({
  progress,
  error,
}: {
  progress: BulkProgress | null;
  error: string | null;
}) => (
  <Box data-testid="bulk-progress" sx={{ mt: 2 }}>
    <Typography variant="subtitle2" gutterBottom>
      Progress
    </Typography>
    {progress ? (
      <>
        <Typography variant="body2" data-testid="bulk-status">
          Status: {progress.status}
        </Typography>
        <LinearProgress
          variant="determinate"
          value={bulkPercent(progress)}
          aria-label="Bulk operation progress"
          sx={{ my: 1, height: 8, borderRadius: 1, maxWidth: 600 }}
        />
        <Typography variant="body2" data-testid="bulk-counts">
          Total {progress.total} · Pending {progress.pending} · Applied {progress.applied} · Skipped{' '}
          {progress.skipped} · Failed {progress.failed}
        </Typography>
      </>
    ) : (
      !error && <LinearProgress aria-label="Loading progress" sx={{ maxWidth: 600 }} />
    )}
    {error && (
      <Alert severity="warning" sx={{ mt: 1 }}>
        {error}
      </Alert>
    )}
  </Box>
);
