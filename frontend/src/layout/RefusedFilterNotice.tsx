import { Alert } from '@mui/material';
import { useFormContext } from 'react-hook-form';

/**
 * Put last among a list's filters (with a `source` of its own and `alwaysOn`, as the filter form
 * expects of its elements). react-admin applies no change of the filter form while one input
 * is refused, so an outcome or an actor chosen beside a refused target id would read as applied
 * while the list still shows the earlier filters: this says so while an input is refused.
 */
export const RefusedFilterNotice = (_props: { source: string; alwaysOn: true }) => {
  const { formState } = useFormContext();
  if (Object.keys(formState.errors).length === 0) return null;
  return (
    <Alert severity="warning" role="status" sx={{ py: 0, mb: 0.5 }} data-testid="refused-filter-notice">
      No filter change applies while a filter is marked in red: the list still shows the earlier filters.
      Correct or clear that one.
    </Alert>
  );
};
