import type { SchemaOptions } from 'mongoose';

export interface SharedSchemaOptionsInput {
  /** Collection name, spelled out so it never depends on Mongoose's pluralization. */
  collection: string;
  /**
   * Top-level keys `toJSON` drops besides `_id` and `__v`: secrets and keys that only
   * exist to be indexed or grouped by. A serialized document shows what a client may see.
   */
  hidden?: readonly string[];
  /** `createdAt`/`updatedAt`; off for append-only records that carry their own instant. */
  timestamps?: boolean;
  optimisticConcurrency?: boolean;
  discriminatorKey?: string;
}

/**
 * The one options object every root schema is built with (STYLE.md "Follow" #5).
 * Discriminator schemas pass no options: Mongoose copies the base schema's.
 */
export function sharedSchemaOptions(input: SharedSchemaOptionsInput): SchemaOptions {
  const hidden = ['_id', ...(input.hidden ?? [])];
  return {
    collection: input.collection,
    timestamps: input.timestamps ?? true,
    // An unknown filter key is a bug (a typo, or a client smuggling a field); Mongoose's
    // default silently drops it, which widens the query to every document. Mongoose 9
    // supports 'throw', so such a query fails with a StrictModeError instead.
    strictQuery: 'throw',
    optimisticConcurrency: input.optimisticConcurrency ?? false,
    ...(input.discriminatorKey ? { discriminatorKey: input.discriminatorKey } : {}),
    toJSON: {
      virtuals: true, // includes `id`, the string form of `_id`
      versionKey: false,
      flattenObjectIds: true,
      transform: (_doc: unknown, ret: Record<string, unknown>) => {
        for (const key of hidden) delete ret[key];
        return ret;
      },
    },
  };
}
