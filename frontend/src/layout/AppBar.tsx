import { Box, ListItemIcon, ListItemText, MenuItem, Typography } from '@mui/material';
import LockResetIcon from '@mui/icons-material/LockReset';
import {
  AppBar as RaAppBar,
  Link,
  Logout,
  TitlePortal,
  UserMenu,
  useCanAccess,
  useUserMenu,
} from 'react-admin';

/** "Change password" in the person's own menu, for password sign-ins (the `password` page). */
const ChangePasswordItem = () => {
  const menu = useUserMenu();
  const { canAccess } = useCanAccess({ resource: 'password', action: 'list' });
  if (!canAccess) return null;
  return (
    <MenuItem component={Link} to="/password" onClick={menu?.onClose}>
      <ListItemIcon>
        <LockResetIcon fontSize="small" />
      </ListItemIcon>
      <ListItemText>Change password</ListItemText>
    </MenuItem>
  );
};

/** The person's menu: their own account's settings, then sign-out. */
const PersonMenu = () => (
  <UserMenu>
    <ChangePasswordItem />
    <Logout />
  </UserMenu>
);

/** The product name, then the current page's title. */
export const AppBar = () => (
  <RaAppBar userMenu={<PersonMenu />}>
    <Typography variant="h6" component="span" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
      Custodian
    </Typography>
    <Box component="span" aria-hidden sx={{ mx: 1.5, opacity: 0.6 }}>
      /
    </Box>
    <TitlePortal />
  </RaAppBar>
);
