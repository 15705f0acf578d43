import { Show, TabbedShowLayout } from 'react-admin';
import { ProfileDetails } from './ProfileDetails';
import { ConversationsList, NotesList, PaymentMethodsList, SessionsList } from './RelatedLists';

export const AccountShow = () => (
  <Show>
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
    </TabbedShowLayout>
  </Show>
);
