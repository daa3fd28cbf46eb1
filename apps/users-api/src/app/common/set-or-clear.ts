/** The `$set`/`$unset` halves of an update a validated body becomes. */
export interface SetAndUnset {
  $set: Record<string, unknown>;
  $unset: Record<string, 1>;
}

/**
 * Adds the optional text fields a client sent to an update: a value to `$set`, `null` or ''
 * to `$unset` (the field is cleared, not stored empty). Profile and admin updates share it.
 */
export function setOrClear<F extends string>(update: SetAndUnset, body: Partial<Record<F, string | null>>, fields: readonly F[]): void {
  for (const field of fields) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null || value === '') update.$unset[field] = 1;
    else update.$set[field] = value;
  }
}
