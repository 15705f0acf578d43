import type { ReactNode } from 'react';
import { Link } from '@mui/material';

/**
 * A list row's own page as a link in one of its cells. DataTable opens a row on a mouse click
 * only (its rows take no focus), so without this link a person on the keyboard or a screen reader
 * could not open an account, a change request or a staff member from a list.
 */
export const RowLink = ({ href, children }: { href: string; children: ReactNode }) => (
  <Link
    href={href}
    // The row's own click would open the same page a second time.
    onClick={(event) => event.stopPropagation()}
  >
    {children}
  </Link>
);
