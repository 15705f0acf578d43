import LockResetIcon from '@mui/icons-material/LockReset';
import PhonelinkLockIcon from '@mui/icons-material/PhonelinkLock';
import { ChangePassword } from './ChangePassword';
import { MfaEnrolment } from './MfaEnrolment';

/**
 * The person's own security pages, declared as resources with a single page so that the menu
 * lists them only where `authProvider.canAccess` allows (resources `mfa` and `password`).
 */
export const mfa = {
  list: MfaEnrolment,
  icon: PhonelinkLockIcon,
  options: { label: 'Two-factor' },
};

export const password = {
  list: ChangePassword,
  icon: LockResetIcon,
  options: { label: 'Change password' },
};

export { LoginPage } from './LoginPage';
export { AccessDenied } from './AccessDenied';
export { guardResource } from './guardResource';
