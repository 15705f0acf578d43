import { RevealGrantEntity } from '../access/reveal-grant.entity';
import { AccountEntity } from '../accounts/account.entity';
import { AuditEventEntity } from '../audit/audit-event.entity';
import { ChangeRequestEntity } from '../change-requests/change-request.entity';
import { BulkItemEntity } from '../operations/bulk-item.entity';
import { ConversationEntity } from '../accounts/conversation.entity';
import { CustomerSessionEntity } from '../accounts/customer-session.entity';
import { MessageEntity } from '../accounts/message.entity';
import { NoteEntity } from '../accounts/note.entity';
import { PaymentMethodEntity } from '../accounts/payment-method.entity';
import { RecoveryCodeEntity } from '../auth/recovery-code.entity';
import { PersonalAccessTokenEntity } from '../auth/token.entity';
import { StaffEntity } from '../staff/staff.entity';

export const ENTITIES = [
  AccountEntity,
  PaymentMethodEntity,
  ConversationEntity,
  MessageEntity,
  CustomerSessionEntity,
  NoteEntity,
  StaffEntity,
  RecoveryCodeEntity,
  PersonalAccessTokenEntity,
  RevealGrantEntity,
  AuditEventEntity,
  ChangeRequestEntity,
  BulkItemEntity,
];
