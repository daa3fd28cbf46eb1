/** MongoDB server error codes the services and tools act on (the same on FerretDB). */
export const MongoErrorCode = {
  /** A query ran past its maxTimeMS. */
  MaxTimeExpired: 50,
  /** E11000: a unique index refused the write. */
  DuplicateKey: 11000,
} as const;
