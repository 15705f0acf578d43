import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('payment_method')
export class PaymentMethodEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'account_id' }) accountId: string;
  @Column('text') brand: string;
  @Column('text') last4: string;
  @Column('smallint', { name: 'expiry_month' }) expiryMonth: number;
  @Column('smallint', { name: 'expiry_year' }) expiryYear: number;
  @Column('text', { name: 'billing_name' }) billingName: string;
  @Column('text') fingerprint: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
