import { Box, Typography } from '@mui/material';
import { AppBar as RaAppBar, TitlePortal } from 'react-admin';

/** The product name, then the current page's title. */
export const AppBar = () => (
  <RaAppBar>
    <Typography variant="h6" component="span" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
      Custodian
    </Typography>
    <Box component="span" aria-hidden sx={{ mx: 1.5, opacity: 0.6 }}>
      /
    </Box>
    <TitlePortal />
  </RaAppBar>
);
