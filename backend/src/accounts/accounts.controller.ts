import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AuditAction,
  classifySearchTerm,
  maskEmail,
  maskPhone,
  Permission,
  type Account,
  type AccountSummary,
  type Conversation,
  type CustomerSession,
  type Message,
  type Note,
  type Page,
  type PaymentMethod,
} from '@custodian/shared';
import type { FastifyRequest } from 'fastify';
import { viewerOf, type Viewer } from '../access/field-policy';
import { RevealService } from '../access/reveal.service';
import { AuditService, requestFacts } from '../audit/audit.service';
import { Authorize, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/page';
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

@ApiTags('accounts')
@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly reveals: RevealService,
    private readonly audit: AuditService,
  ) {}

  /** The viewer of one account: the person's roles plus their live reveal grants on it. */
  private async viewerFor(principal: Principal, accountId: string): Promise<Viewer> {
    const grants = await this.reveals.liveGrants(principal, [accountId]);
    return viewerOf(principal, grants.get(accountId));
  }

  @Authorize(Permission.AccountRead)
  @Get()
  async list(
    @Req() req: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAccountsQueryDto,
  ): Promise<Page<AccountSummary>> {
    const page = await this.accounts.search(query);
    const grants = await this.reveals.liveGrants(
      principal,
      page.data.map((a) => a.id),
    );
    await this.recordPersonalSearch(req, principal, query, page.data.length);
    return mapPage(page, (row) => toAccountSummary(row, viewerOf(principal, grants.get(row.id))));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', UuidParam) id: string): Promise<Account> {
    const account = await this.accounts.get(id);
    return toAccount(account, await this.viewerFor(principal, id));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/payment-methods')
  async paymentMethods(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<PaymentMethod>> {
    const viewer = await this.viewerFor(principal, id);
    return mapPage(await this.accounts.listPaymentMethods(id, page), (e) => toPaymentMethod(e, viewer));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/conversations')
  async conversations(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<Conversation>> {
    const viewer = await this.viewerFor(principal, id);
    return mapPage(await this.accounts.listConversations(id, page), (e) => toConversation(e, viewer));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/conversations/:cid/messages')
  async messages(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Param('cid', UuidParam) cid: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<Message>> {
    const viewer = await this.viewerFor(principal, id);
    return mapPage(await this.accounts.listMessages(id, cid, page), (e) => toMessage(e, viewer));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/notes')
  async notes(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<Note>> {
    const viewer = await this.viewerFor(principal, id);
    return mapPage(await this.accounts.listNotes(id, page), (e) => toNote(e, viewer));
  }

  @Authorize(Permission.AccountRead)
  @Get(':id/sessions')
  async sessions(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParam) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<CustomerSession>> {
    const viewer = await this.viewerFor(principal, id);
    return mapPage(await this.accounts.listSessions(id, page), (e) => toCustomerSession(e, viewer));
  }

  /**
   * A search by a personal field (exact email or phone) is itself an audit event. The value is
   * stored masked: the log must not become a second copy of customers' personal data.
   */
  private async recordPersonalSearch(
    req: FastifyRequest,
    principal: Principal,
    query: ListAccountsQueryDto,
    results: number,
  ): Promise<void> {
    const by: Record<string, string> = {};
    if (query.email !== undefined) by.email = maskEmail(query.email);
    if (query.phone !== undefined) by.phone = maskPhone(query.phone);
    if (query.q) {
      const term = classifySearchTerm(query.q);
      if (term.kind === 'email') by.email = maskEmail(term.value);
      if (term.kind === 'phone') by.phone = maskPhone(term.value);
    }
    if (Object.keys(by).length === 0) return;
    await this.audit.record({
      ...requestFacts(req, principal),
      action: AuditAction.AccountSearch,
      outcome: 'success',
      details: { by, results },
    });
  }
}
