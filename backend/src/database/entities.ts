import { AccountEntity } from '../accounts/account.entity';
import { ConversationEntity } from '../accounts/conversation.entity';
import { CustomerSessionEntity } from '../accounts/customer-session.entity';
import { MessageEntity } from '../accounts/message.entity';
import { NoteEntity } from '../accounts/note.entity';
import { PaymentMethodEntity } from '../accounts/payment-method.entity';

export const ENTITIES = [
  AccountEntity,
  PaymentMethodEntity,
  ConversationEntity,
  MessageEntity,
  CustomerSessionEntity,
  NoteEntity,
];
