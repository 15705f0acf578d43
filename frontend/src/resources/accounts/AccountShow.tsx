import { Show, TabbedShowLayout, TopToolbar } from 'react-admin';
import { OperationsBar } from '../operations/OperationsBar';
import { HistoryList } from './HistoryList';
import { ProfileDetails } from './ProfileDetails';
import { ConversationsList, NotesList, PaymentMethodsList, SessionsList } from './RelatedLists';
import { RevealProvider } from './reveal';

const AccountActions = () => (
  <TopToolbar sx={{ justifyContent: 'flex-start', flexWrap: 'wrap' }}>
    <OperationsBar />
  </TopToolbar>
);

// Reveal grants live above the tabs, so a revealed value and its countdown survive a tab switch.
export const AccountShow = () => (
  <RevealProvider>
    <Show actions={<AccountActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="Profile">
          <ProfileDetails label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Payment methods" path="payment-methods">
          <PaymentMethodsList label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Conversations" path="conversations">
          <ConversationsList label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Notes" path="notes">
          <NotesList label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="Sessions" path="sessions">
          <SessionsList label={false} />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="History" path="history">
          <HistoryList label={false} />
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  </RevealProvider>
);
