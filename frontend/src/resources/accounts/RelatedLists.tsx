import { Alert, Box, Typography } from '@mui/material';
import { DataTable, ReferenceManyField, useListContext, useRecordContext, useRefresh } from 'react-admin';
import type { Account, Conversation, CustomerSession, Message, Note, PaymentMethod } from '@custodian/shared';
import { CursorPagination } from '../../layout/CursorPagination';
import { RedactedField } from './RedactedField';
import { RevealButton, RevealCountdown } from './RevealableField';
import { SessionStatusField } from './SessionStatusField';
import { useReveals } from './reveal';
import { capitalize, formatDateTime, formatDateTimeOrDash, formatExpiry } from './format';

// Timestamps stay on one line.
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

// Related lists are cursor-paged like the accounts list and cannot be sorted by the API.
const RelatedPagination = () => <CursorPagination rowsPerPageOptions={[10, 25, 50]} />;

const EmptyState = ({ text }: { text: string }) => (
  <Typography variant="body2" sx={{ color: 'text.secondary', px: 2, py: 2 }}>
    {text}
  </Typography>
);

/** Shown in place of a related list the API refused or failed to send (also notified). */
const ErrorState = () => {
  const { error } = useListContext();
  const message = error instanceof Error ? error.message : 'This list could not be loaded.';
  return (
    <Alert severity="warning" variant="outlined" sx={{ my: 1 }}>
      {message}
    </Alert>
  );
};

// The empty state goes to <DataTable empty>: ReferenceManyField skips its own `empty` whenever
// an `error` element is given.
const errorState = <ErrorState />;

interface RelatedListProps {
  /** Read by the tab's <Labeled> wrapper: related lists carry no field label. */
  label?: false;
}

const PaymentMethodCol = DataTable.Col<PaymentMethod>;

export const PaymentMethodsList = (_props: RelatedListProps) => (
  <ReferenceManyField
    reference="payment-methods"
    target="accountId"
    perPage={25}
    pagination={<RelatedPagination />}
    error={errorState}
  >
    <DataTable
      empty={<EmptyState text="No payment methods on file." />}
      bulkActionButtons={false}
      rowClick={false}
    >
      <PaymentMethodCol source="brand" disableSort render={(record) => capitalize(record.brand)} />
      <PaymentMethodCol source="last4" label="Last 4" disableSort>
        <RedactedField source="last4" />
      </PaymentMethodCol>
      <PaymentMethodCol
        label="Expiry"
        disableSort
        render={(record) => formatExpiry(record.expiryMonth, record.expiryYear) || '—'}
      />
      <PaymentMethodCol source="billingName" label="Billing name" disableSort>
        <RedactedField source="billingName" />
      </PaymentMethodCol>
      <PaymentMethodCol source="fingerprint" disableSort>
        <RedactedField source="fingerprint" />
      </PaymentMethodCol>
      <PaymentMethodCol
        source="createdAt"
        label="Added"
        disableSort
        sx={NO_WRAP}
        render={(record) => formatDateTime(record.createdAt)}
      />
    </DataTable>
  </ReferenceManyField>
);

const MessageCol = DataTable.Col<Message>;

/** The messages of the conversation in the record context; shown when its row is expanded. */
const ConversationMessages = ({ accountId }: { accountId: Account['id'] }) => {
  const conversation = useRecordContext<Conversation>();
  if (!conversation) return null;
  return (
    <Box sx={{ py: 1 }}>
      <Typography variant="subtitle2" gutterBottom>
        Messages{conversation.subject ? ` — ${conversation.subject}` : ''}
      </Typography>
      <ReferenceManyField
        reference="messages"
        target="conversationId"
        perPage={25}
        queryOptions={{ meta: { accountId } }}
        pagination={<RelatedPagination />}
        error={errorState}
      >
        <DataTable
          empty={<EmptyState text="No messages in this conversation." />}
          bulkActionButtons={false}
          rowClick={false}
          size="small"
        >
          <MessageCol
            source="sentAt"
            label="Sent"
            disableSort
            sx={NO_WRAP}
            render={(record) => formatDateTime(record.sentAt)}
          />
          <MessageCol source="direction" disableSort render={(record) => capitalize(record.direction)} />
          <MessageCol source="body" label="Message" disableSort>
            <RedactedField source="body" />
          </MessageCol>
        </DataTable>
      </ReferenceManyField>
    </Box>
  );
};

const ConversationCol = DataTable.Col<Conversation>;

/**
 * Conversations are private: their subject, participant and messages stay hidden until someone
 * who may reveals them with a reason; the lists are read again when the grant starts and ends.
 * An account without conversations offers no reveal: it would record a reason for nothing.
 */
const ConversationsRevealBar = () => {
  const { grants } = useReveals();
  const { data, isPending } = useListContext<Conversation>();
  const refresh = useRefresh();
  const grant = grants.conversations;
  if (!grant && (isPending || !data?.length)) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minHeight: 32, mb: 1 }}>
      {grant ? (
        <>
          <Typography variant="body2">Conversations revealed</Typography>
          <RevealCountdown grant={grant} />
        </>
      ) : (
        <>
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Subjects, participants and messages are private.
          </Typography>
          <RevealButton field="conversations" label="Reveal conversations" onRevealed={refresh} />
        </>
      )}
    </Box>
  );
};

export const ConversationsList = (_props: RelatedListProps) => {
  const account = useRecordContext<Account>();
  if (!account) return null;
  return (
    <Box sx={{ width: '100%' }}>
      <ReferenceManyField
        reference="conversations"
        target="accountId"
        perPage={25}
        pagination={<RelatedPagination />}
        error={errorState}
      >
        <ConversationsRevealBar />
        <DataTable
          empty={<EmptyState text="No conversations." />}
          bulkActionButtons={false}
          rowClick="expand"
          expand={<ConversationMessages accountId={account.id} />}
          expandSingle
        >
          <ConversationCol source="subject" disableSort>
            <RedactedField source="subject" />
          </ConversationCol>
          <ConversationCol source="participantHandle" label="With" disableSort>
            <RedactedField source="participantHandle" />
          </ConversationCol>
          <ConversationCol source="messageCount" label="Messages" disableSort />
          <ConversationCol
            source="lastMessageAt"
            label="Last message"
            disableSort
            sx={NO_WRAP}
            render={(record) => formatDateTimeOrDash(record.lastMessageAt)}
          />
          <ConversationCol
            source="createdAt"
            label="Started"
            disableSort
            sx={NO_WRAP}
            render={(record) => formatDateTime(record.createdAt)}
          />
        </DataTable>
      </ReferenceManyField>
    </Box>
  );
};

const NoteCol = DataTable.Col<Note>;

export const NotesList = (_props: RelatedListProps) => (
  <ReferenceManyField
    reference="notes"
    target="accountId"
    perPage={25}
    pagination={<RelatedPagination />}
    error={errorState}
  >
    <DataTable empty={<EmptyState text="No notes yet." />} bulkActionButtons={false} rowClick={false}>
      <NoteCol
        source="createdAt"
        label="Written"
        disableSort
        sx={NO_WRAP}
        render={(record) => formatDateTime(record.createdAt)}
      />
      <NoteCol source="authorEmail" label="Author" disableSort>
        <RedactedField source="authorEmail" />
      </NoteCol>
      <NoteCol source="body" label="Note" disableSort>
        <RedactedField source="body" />
      </NoteCol>
    </DataTable>
  </ReferenceManyField>
);

const SessionCol = DataTable.Col<CustomerSession>;

export const SessionsList = (_props: RelatedListProps) => (
  <ReferenceManyField
    reference="sessions"
    target="accountId"
    perPage={25}
    pagination={<RelatedPagination />}
    error={errorState}
  >
    <DataTable empty={<EmptyState text="No sessions." />} bulkActionButtons={false} rowClick={false}>
      <SessionCol source="device" disableSort>
        <RedactedField source="device" />
      </SessionCol>
      <SessionCol source="ip" label="IP" disableSort>
        <RedactedField source="ip" />
      </SessionCol>
      <SessionCol source="userAgent" label="User agent" disableSort>
        <RedactedField source="userAgent" />
      </SessionCol>
      <SessionCol
        source="createdAt"
        label="Signed in"
        disableSort
        sx={NO_WRAP}
        render={(record) => formatDateTime(record.createdAt)}
      />
      <SessionCol
        source="lastSeenAt"
        label="Last seen"
        disableSort
        sx={NO_WRAP}
        render={(record) => formatDateTime(record.lastSeenAt)}
      />
      <SessionCol source="revokedAt" label="Status" disableSort sx={NO_WRAP}>
        <RedactedField source="revokedAt">
          <SessionStatusField />
        </RedactedField>
      </SessionCol>
    </DataTable>
  </ReferenceManyField>
);
