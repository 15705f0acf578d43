export * from './contracts/accounts.js';
export * from './contracts/auth.js';
export * from './contracts/lookup.js';
export * from './policy/fields.js';
export * from './policy/masking.js';
export * from './policy/permissions.js';
export * from './policy/roles.js';
export * from './operations/catalogue.js';
