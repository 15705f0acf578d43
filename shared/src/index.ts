export * from './contracts/accounts.js';
export * from './contracts/lookup.js';
