export { DEFAULT_SEED, seedCustomerData, type SeedOptions } from './seed-customer-data';
export { SEED_REFERENCE_TIME } from './generator';
export { SEED_TABLE_ORDER, type SeedSummary, type SeedTable } from './tables';
