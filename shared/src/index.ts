export * from './contracts/accounts.js';
