import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { diffRows, type Changes } from './diff';

const VALUE_CELL = { fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-all' } as const;

/** A before/after table of field changes; masked values stay masked as the API sent them. */
export const DiffTable = ({
  changes,
  empty = 'No field changes.',
}: {
  changes: Changes | null | undefined;
  empty?: string;
}) => {
  const rows = diffRows(changes);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {empty}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Changes" sx={{ maxWidth: 900 }} data-testid="diff-table">
      <TableHead>
        <TableRow>
          <TableCell sx={{ width: '20%' }}>Field</TableCell>
          <TableCell sx={{ width: '40%' }}>Before</TableCell>
          <TableCell sx={{ width: '40%' }}>After</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.field}>
            <TableCell component="th" scope="row" sx={{ fontWeight: 500 }} title={row.field}>
              {row.label}
            </TableCell>
            <TableCell sx={{ ...VALUE_CELL, color: 'error.main' }}>{row.before}</TableCell>
            <TableCell sx={{ ...VALUE_CELL, color: 'success.main' }}>{row.after}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
