import { useEffect, useRef, useState } from 'react';
import { Box, Button, Chip, Tooltip, Typography } from '@mui/material';
import VisibilityIcon from '@mui/icons-material/Visibility';
import { useRecordContext } from 'react-admin';
import {
  REVEAL_PERMISSIONS,
  type Redactions,
  type RevealableField as RevealableName,
} from '@custodian/shared';
import { usePermission } from '../policy/usePermission';
import { formatCountdown, remainingMs } from './countdown';
import { RedactedField } from './RedactedField';
import { REVEAL_LABELS, RevealDialog } from './RevealDialog';
import { useNow, useReveals, type Grant } from './reveal';

/** "Hidden again in mm:ss", ticking; the value it goes with is dropped at 00:00. */
export const RevealCountdown = ({ grant }: { grant: Grant }) => {
  const now = useNow();
  const left = formatCountdown(remainingMs(grant.expiresAt, now));
  return (
    <Tooltip title="The clear value is hidden again when the grant ends">
      <Chip
        size="small"
        color="warning"
        variant="outlined"
        label={`Revealed · ${left}`}
        aria-label={`Hidden again in ${left}`}
        data-testid="reveal-countdown"
        sx={{ height: 20, fontSize: '0.75rem', fontVariantNumeric: 'tabular-nums' }}
      />
    </Tooltip>
  );
};

/** Opens the reveal dialog for one field; shown only to people who may reveal it. */
export const RevealButton = ({
  field,
  label,
  onRevealed,
}: {
  field: RevealableName;
  label?: string;
  onRevealed?: () => void;
}) => {
  const [open, setOpen] = useState(false);
  const allowed = usePermission(REVEAL_PERMISSIONS[field]);
  if (!allowed) return null;
  return (
    <>
      <Button
        size="small"
        startIcon={<VisibilityIcon fontSize="small" />}
        onClick={() => setOpen(true)}
        aria-label={label ?? `Reveal ${REVEAL_LABELS[field]}`}
        sx={{ minWidth: 0, py: 0 }}
      >
        {label ?? 'Reveal'}
      </Button>
      {open && (
        <RevealDialog field={field} open={open} onClose={() => setOpen(false)} onRevealed={onRevealed} />
      )}
    </>
  );
};

const RevealedValue = ({ grant, text }: { grant: Grant; text: string }) => {
  const now = useNow();
  const over = remainingMs(grant.expiresAt, now) === 0;
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    // The Reveal button the dialog would give the focus back to is gone with the masked value, so
    // the focus fell to the page: put it on the clear value, where the person was working. A
    // value shown again on a tab switch leaves the focus where it is.
    if (document.activeElement === document.body) ref.current?.focus();
  }, []);
  return (
    <Box
      component="span"
      ref={ref}
      tabIndex={-1}
      data-testid="revealed-value"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75, flexWrap: 'wrap' }}
    >
      <Typography component="span" variant="body2" sx={over ? { color: 'text.secondary' } : undefined}>
        {over ? 'hiding again…' : text}
      </Typography>
      <RevealCountdown grant={grant} />
    </Box>
  );
};

interface RevealableFieldProps {
  source: RevealableName;
  label?: string | false;
  format?: (value: unknown) => string;
  /** Formats the masked value too (an address arrives as an object with only some parts). */
  formatMasked?: boolean;
}

/**
 * A personal field of the account: the clear value while a reveal grant lasts, otherwise the
 * value as the API sent it (masked or hidden) with a Reveal button for those who may.
 */
export const RevealableField = ({ source, format, formatMasked }: RevealableFieldProps) => {
  const record = useRecordContext<Partial<Redactions>>();
  const { grants } = useReveals();
  const grant = grants[source];
  if (!record) return null;
  if (grant) {
    const text = format ? format(grant.value) : String(grant.value ?? '—');
    return <RevealedValue grant={grant} text={text || '—'} />;
  }
  const redacted = Boolean(record.masked?.includes(source) || record.hidden?.includes(source));
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, flexWrap: 'wrap' }}>
      <RedactedField source={source} format={format} formatMasked={formatMasked} />
      {redacted && <RevealButton field={source} />}
    </Box>
  );
};
