import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Page } from '@custodian/shared';
import { DataSource, ObjectLiteral, Repository } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { PageQueryDto } from '../common/page-query.dto';
import type { AccountEntity } from './account.entity';
import { buildAccountListQuery } from './account-list.query';
import { accountNotFound, assertAccountExists, findAccount } from './account.sql';
import { namedQuery } from '../database/named-query';
import type { AccountSummaryRow } from './account.mapper';
import { ConversationEntity } from './conversation.entity';
import { CustomerSessionEntity } from './customer-session.entity';
import type { ListAccountsQueryDto } from './dto/list-accounts-query.dto';
import { MessageEntity } from './message.entity';
import { NoteEntity } from './note.entity';
import { PaymentMethodEntity } from './payment-method.entity';

/** What a related list is ordered by: newest first, except messages, which read as a chat. */
interface RelatedOrder {
  column: string;
  direction: 'ASC' | 'DESC';
}

const NEWEST_FIRST: RelatedOrder = { column: 'created_at', direction: 'DESC' };
const CHRONOLOGICAL: RelatedOrder = { column: 'sent_at', direction: 'ASC' };

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(PaymentMethodEntity) private readonly paymentMethods: Repository<PaymentMethodEntity>,
    @InjectRepository(ConversationEntity) private readonly conversations: Repository<ConversationEntity>,
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    @InjectRepository(CustomerSessionEntity) private readonly sessions: Repository<CustomerSessionEntity>,
    @InjectRepository(NoteEntity) private readonly notes: Repository<NoteEntity>,
  ) {}

  async search(dto: ListAccountsQueryDto): Promise<Page<AccountSummaryRow>> {
    const sortName = `${dto.sort}:${dto.order}`;
    const cursor = dto.cursor === undefined ? undefined : decodeCursor(dto.cursor, sortName);
    const { sql, params, named } = buildAccountListQuery({ ...dto, cursor });
    type Row = AccountSummaryRow & { sortKey: string };
    const rows: Row[] = named
      ? await namedQuery<Row>(this.dataSource, sql, params)
      : await this.dataSource.query(sql, params);
    return this.toPage(rows, dto.limit, sortName, (row) => ({ value: row.sortKey, id: row.id }));
  }

  async get(id: string): Promise<AccountEntity> {
    const account = await findAccount(this.dataSource, id);
    if (!account) throw accountNotFound(id);
    return account;
  }

  async listPaymentMethods(accountId: string, page: PageQueryDto) {
    await assertAccountExists(this.dataSource, accountId);
    return this.relatedPage(this.paymentMethods, 'account_id', accountId, NEWEST_FIRST, page);
  }

  async listConversations(accountId: string, page: PageQueryDto) {
    await assertAccountExists(this.dataSource, accountId);
    return this.relatedPage(this.conversations, 'account_id', accountId, NEWEST_FIRST, page);
  }

  async listMessages(accountId: string, conversationId: string, page: PageQueryDto) {
    const found = await this.conversations.existsBy({ id: conversationId, accountId });
    if (!found)
      throw new NotFoundException(`conversation ${conversationId} does not exist on account ${accountId}`);
    return this.relatedPage(this.messages, 'conversation_id', conversationId, CHRONOLOGICAL, page);
  }

  async listSessions(accountId: string, page: PageQueryDto) {
    await assertAccountExists(this.dataSource, accountId);
    return this.relatedPage(this.sessions, 'account_id', accountId, NEWEST_FIRST, page);
  }

  async listNotes(accountId: string, page: PageQueryDto) {
    await assertAccountExists(this.dataSource, accountId);
    return this.relatedPage(this.notes, 'account_id', accountId, NEWEST_FIRST, page);
  }

  /** One keyset page of rows belonging to `ownerId`, ordered by (order.column, id). */
  private async relatedPage<E extends ObjectLiteral & { id: string }>(
    repo: Repository<E>,
    ownerColumn: string,
    ownerId: string,
    order: RelatedOrder,
    page: PageQueryDto,
  ): Promise<Page<E>> {
    const sortName = `${order.column}:${order.direction.toLowerCase()}`;
    const qb = repo
      .createQueryBuilder('r')
      // The sort key travels as PostgreSQL's own text, keeping microseconds that a JS Date drops.
      .addSelect(`r.${order.column}::text`, 'sort_key')
      .where(`r.${ownerColumn} = :ownerId`, { ownerId })
      .orderBy(`r.${order.column}`, order.direction)
      .addOrderBy('r.id', order.direction)
      .limit(page.limit + 1);
    if (page.cursor !== undefined) {
      const cursor = decodeCursor(page.cursor, sortName);
      const cmp = order.direction === 'DESC' ? '<' : '>';
      qb.andWhere(`(r.${order.column}, r.id) ${cmp} (CAST(:value AS timestamptz), CAST(:id AS uuid))`, {
        value: cursor.value,
        id: cursor.id,
      });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const keyed = entities.map((entity, i) => ({ entity, sortKey: raw[i]!.sort_key }));
    const result = this.toPage(keyed, page.limit, sortName, (row) => ({
      value: row.sortKey,
      id: row.entity.id,
    }));
    return { data: result.data.map((row) => row.entity), nextCursor: result.nextCursor };
  }

  private toPage<T>(
    rows: T[],
    limit: number,
    sortName: string,
    keyOf: (row: T) => { value: string; id: string },
  ): Page<T> {
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    const last = data[data.length - 1];
    return {
      data,
      nextCursor: hasMore && last ? encodeCursor({ sort: sortName, ...keyOf(last) }) : null,
    };
  }
}
