import { Admin, Resource } from 'react-admin';
import { dataProvider } from './providers/dataProvider';
import { Layout } from './layout/Layout';
import accounts from './resources/accounts';

export const App = () => (
  <Admin title="Custodian" dataProvider={dataProvider} layout={Layout} disableTelemetry>
    <Resource name="accounts" {...accounts} />
  </Admin>
);
