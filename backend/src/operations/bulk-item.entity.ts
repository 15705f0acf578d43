import { Column, Entity, PrimaryColumn } from 'typeorm';

export type BulkItemStatus = 'pending' | 'applied' | 'skipped' | 'failed';

/** One account of a bulk operation. */
@Entity('bulk_item')
export class BulkItemEntity {
  @PrimaryColumn('uuid', { name: 'request_id' }) requestId: string;
  @PrimaryColumn('uuid', { name: 'account_id' }) accountId: string;
  @Column('integer', { name: 'expected_version', nullable: true }) expectedVersion: number | null;
  @Column('text') status: BulkItemStatus;
  @Column('text', { nullable: true }) detail: string | null;
}
