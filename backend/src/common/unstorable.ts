/**
 * Text PostgreSQL cannot store as sent: NUL, which a text or jsonb value refuses, and a UTF-16
 * surrogate without its pair, which the driver writes as U+FFFD. Not global: `test` keeps no state.
 */
// eslint-disable-next-line no-control-regex -- NUL is what this must find
export const UNSTORABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;
