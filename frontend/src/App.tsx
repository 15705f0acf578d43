import { Admin, CustomRoutes, Resource, combineDataProviders } from 'react-admin';
import { dataProvider } from './providers/dataProvider';
import { authProvider } from './providers/authProvider';
import { Layout } from './layout/Layout';
import { AccessDenied, LoginPage, guardResource, mfa, password } from './auth';
import { extraResources, extraRoutes } from './extraResources';
import accounts from './resources/accounts';
import staff, { createStaffDataProvider } from './resources/staff';
import tokens, { createTokensDataProvider } from './resources/tokens';

const staffDataProvider = createStaffDataProvider();
const tokensDataProvider = createTokensDataProvider();

/** Staff and tokens have providers of their own; every other resource uses the main one. */
const appDataProvider = combineDataProviders((resource) => {
  if (resource === 'staff') return staffDataProvider;
  if (resource === 'tokens') return tokensDataProvider;
  return dataProvider;
});

// Every page checks access before it renders, so a refused one asks the API for nothing.
const GUARDED_ACCOUNTS = guardResource('accounts', accounts);
const GUARDED_STAFF = guardResource('staff', staff);
const GUARDED_TOKENS = guardResource('tokens', tokens);
const GUARDED_MFA = guardResource('mfa', mfa);
const GUARDED_PASSWORD = guardResource('password', password);

/**
 * `requireAuth`: nothing inside the layout renders before the session is checked, so a page
 * reached by the back button after signing out shows no data. The menu lists only the
 * resources `authProvider.canAccess` allows; the API enforces the same policy regardless.
 */
export const App = () => (
  <Admin
    title="Custodian"
    dataProvider={appDataProvider}
    authProvider={authProvider}
    loginPage={LoginPage}
    accessDenied={AccessDenied}
    layout={Layout}
    requireAuth
    disableTelemetry
  >
    <Resource name="accounts" {...GUARDED_ACCOUNTS} />
    {extraResources}
    <Resource name="staff" {...GUARDED_STAFF} />
    <Resource name="tokens" {...GUARDED_TOKENS} />
    <Resource name="mfa" {...GUARDED_MFA} />
    <Resource name="password" {...GUARDED_PASSWORD} />
    <CustomRoutes>{extraRoutes}</CustomRoutes>
  </Admin>
);
