import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type {
  Account,
  AccountSummary,
  Conversation,
  CustomerSession,
  Message,
  Note,
  Page,
  PaymentMethod,
} from '@custodian/shared';
import { Permission } from '@custodian/shared';
import { Authorize } from '../auth/decorators';
import { PageQueryDto } from '../common/page-query.dto';
import { UuidParam } from '../common/uuid.pipe';
import { toAccount, toAccountSummary } from './account.mapper';
import {
  toConversation,
  toCustomerSession,
  toMessage,
  toNote,
  toPaymentMethod,
} from './account-related.mapper';
import { AccountsService } from './accounts.service';
import { ListAccountsQueryDto } from './dto/list-accounts-query.dto';

function mapPage<E, R>(page: Page<E>, map: (e: E) => R): Page<R> {
  return { data: page.data.map(map), nextCursor: page.nextCursor };
}

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Authorize(Permission.AccountRead)
  @Get()
  async list(@Query() query: ListAccountsQueryDto): Promise<Page<AccountSummary>> {
    return mapPage(await this.accounts.search(query), toAccountSummary);
  }

  @Authorize(Permission.AccountRead)
  @Get(':id')
  async get(@Param('id', UuidParam) id: string): Promise<Account> {
    return toAccount(await this.accounts.get(id));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/payment-methods')
  async paymentMethods(
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<PaymentMethod>> {
    return mapPage(await this.accounts.listPaymentMethods(id, page), toPaymentMethod);
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/conversations')
  async conversations(
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<Conversation>> {
    return mapPage(await this.accounts.listConversations(id, page), toConversation);
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/conversations/:cid/messages')
  async messages(
    @Param('id', UuidParam) id: string,
    @Param('cid', UuidParam) cid: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<Message>> {
    return mapPage(await this.accounts.listMessages(id, cid, page), toMessage);
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/notes')
  async notes(@Param('id', UuidParam) id: string, @Query() page: PageQueryDto): Promise<Page<Note>> {
    return mapPage(await this.accounts.listNotes(id, page), toNote);
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/sessions')
  async sessions(
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<CustomerSession>> {
    return mapPage(await this.accounts.listSessions(id, page), toCustomerSession);
  }
}
