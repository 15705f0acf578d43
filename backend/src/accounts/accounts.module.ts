import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountEntity } from './account.entity';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { ConversationEntity } from './conversation.entity';
import { CustomerSessionEntity } from './customer-session.entity';
import { MessageEntity } from './message.entity';
import { NoteEntity } from './note.entity';
import { PaymentMethodEntity } from './payment-method.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      AccountEntity,
      PaymentMethodEntity,
      ConversationEntity,
      MessageEntity,
      CustomerSessionEntity,
      NoteEntity,
    ]),
  ],
  controllers: [AccountsController],
  providers: [AccountsService],
})
export class AccountsModule {}
