/** Formats of the keys the schemas store, shared by validators and tests. */
export const DAY_KEY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const WEEK_KEY_PATTERN = /^\d{4}-W\d{2}$/;
export const MONTH_KEY_PATTERN = /^\d{4}-\d{2}$/;
/** SHA-256 in lowercase hex: how tokens, emails and queries are kept when only equality matters. */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
