import type { Aggregate, Schema } from 'mongoose';

/**
 * Gives every aggregation a time budget and lets it spill to disk. Applied to *clones* of
 * the shared schemas: the exported schema objects are compiled on several connections
 * and must not grow hooks that belong to one of them (STYLE.md "Avoid" #4).
 */
export function withAggregationBudget(schema: Schema, maxTimeMS: number): Schema {
  const budgeted = schema.clone();
  budgeted.pre('aggregate', function (this: Aggregate<unknown>) {
    if (this.options.maxTimeMS === undefined) this.option({ maxTimeMS });
    if (this.options.allowDiskUse === undefined) this.allowDiskUse(true);
  });
  return budgeted;
}
