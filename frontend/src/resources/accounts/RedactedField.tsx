import type { ReactNode } from 'react';
import { Box, Chip, Tooltip, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { Redactions } from '@custodian/shared';

type RedactableRecord = Partial<Redactions> & Record<string, unknown>;

export interface RedactedFieldProps {
  source: string;
  /** Read by react-admin's <Labeled> for the field's label. */
  label?: string | false;
  /**
   * Formats a clear value. Masked values are shown exactly as the API sent them (a masked date
   * of birth is only a year, for instance), unless `formatMasked` is set.
   */
  format?: (value: unknown, record: RedactableRecord) => string;
  formatMasked?: boolean;
  /** Shown when the value is absent but not hidden. */
  emptyText?: string;
  children?: ReactNode;
}

const asText = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/**
 * Shows one field of a record through its redactions: a hidden field reads "hidden", a masked
 * one shows the masked string with a "masked" hint, one in clear under a reveal grant a
 * "revealed" hint (wherever it is shown, so it never passes for ordinary data), anything else is
 * formatted normally.
 */
export const RedactedField = ({
  source,
  format,
  formatMasked = false,
  emptyText = '—',
  children,
}: RedactedFieldProps) => {
  const record = useRecordContext<RedactableRecord>();
  if (!record) return null;

  if (record.hidden?.includes(source)) {
    return (
      <Tooltip title="Your role may not see this field">
        <Typography component="span" variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
          hidden
        </Typography>
      </Tooltip>
    );
  }

  const value = record[source];
  const isMasked = record.masked?.includes(source) ?? false;
  const text = format && (!isMasked || formatMasked) ? format(value, record) : asText(value);
  const content = children ?? (
    <Typography component="span" variant="body2">
      {text === '' ? emptyText : text}
    </Typography>
  );
  if (record.revealed?.includes(source)) {
    return (
      <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75 }}>
        {content}
        <Tooltip title="In clear under your reveal grant; masked again when it ends">
          <Chip
            label="revealed"
            size="small"
            color="warning"
            variant="outlined"
            data-testid="revealed-marker"
            sx={{ height: 18, fontSize: '0.7rem' }}
          />
        </Tooltip>
      </Box>
    );
  }
  if (!isMasked) return content;
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75 }}>
      {content}
      <Tooltip title="Shown masked for your role">
        <Chip label="masked" size="small" variant="outlined" sx={{ height: 18, fontSize: '0.7rem' }} />
      </Tooltip>
    </Box>
  );
};
