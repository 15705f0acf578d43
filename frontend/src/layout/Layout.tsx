import type { ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { AppBar } from './AppBar';
import { IdleWarning } from './IdleWarning';

/**
 * react-admin's layout grows to fit its widest content (`min-width: fit-content`), so one wide
 * table made the whole page scroll sideways, app bar and filters with it, on a 1280 px screen.
 * Here the page keeps the window's width and a wide table scrolls inside its own box.
 */
const FIT_WINDOW = {
  minWidth: 0,
  // Flex items do not shrink below their content unless told: the content column, the list's
  // main row and its card all must, for the table's wrapper to scroll instead.
  '& .RaLayout-content, & .RaList-main, & .RaList-content': { minWidth: 0 },
  '& .RaDataTable-tableWrapper, & .RaDatagrid-tableWrapper': { overflowX: 'auto' },
  // A list's filters and its buttons (the audit log's chain badge and exports) share a row
  // while they fit, then the buttons go below, as react-admin itself does under 900 px.
  '& .RaList-actions, & .RaList-actions > .MuiToolbar-root': { flexWrap: 'wrap' },
} as const;

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={AppBar} sx={FIT_WINDOW}>
    {children}
    <IdleWarning />
  </RaLayout>
);
