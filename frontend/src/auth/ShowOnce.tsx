import { useState, type ReactNode } from 'react';
import { Alert, Box, Button, Stack } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';

export interface ShowOnceProps {
  /** What the secret is, e.g. "Personal access token". */
  label: string;
  /** One secret, or several (recovery codes), shown one per line. */
  value: string | string[];
  children?: ReactNode;
}

/**
 * A secret the API hands out exactly once (a token, an initial password, recovery codes): shown
 * in full with a copy button, never stored by the console.
 */
export const ShowOnce = ({ label, value, children }: ShowOnceProps) => {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const text = Array.isArray(value) ? value.join('\n') : value;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      // No clipboard permission (or an insecure origin): the value stays selectable on screen.
      setCopied('failed');
    }
  };

  return (
    <Stack spacing={1.5}>
      <Alert severity="warning">
        {children ?? <>This {label.toLowerCase()} is shown only once. Copy it now and keep it safe.</>}
      </Alert>
      <Box
        component="pre"
        aria-label={label}
        data-testid="show-once-value"
        sx={{
          m: 0,
          p: 1.5,
          borderRadius: 1,
          bgcolor: 'action.hover',
          fontFamily: 'monospace',
          fontSize: '0.95rem',
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          userSelect: 'all',
        }}
      >
        {text}
      </Box>
      <Box>
        <Button variant="outlined" size="small" startIcon={<ContentCopyIcon />} onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
        {copied === 'failed' && (
          <Box component="span" sx={{ ml: 1.5, color: 'text.secondary', fontSize: '0.875rem' }}>
            Copying is not allowed here; select the text instead.
          </Box>
        )}
      </Box>
    </Stack>
  );
};
