/**
 * Reading and rewriting MongoDB update documents in query middleware, before Mongoose
 * casts them. An update may name a field at the top level (an implicit `$set`), under
 * an operator, by dotted path ('name.first') or through its parent object ('name').
 */

export type UpdateDocument = Record<string, unknown>;

/** Thrown when an update changes an input of a derived key in a way middleware cannot follow. */
export class UnsupportedUpdateError extends Error {
  override readonly name = 'UnsupportedUpdateError';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** True when `path` is `container` or a field inside it. */
function isWithin(path: string, container: string): boolean {
  return path === container || path.startsWith(`${container}.`);
}

/** True when `a` and `b` name the same field or one contains the other. */
function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}

/** Copy of `update` with every assignment to `paths` (or inside them) removed, under any operator. */
export function withoutPaths(update: UpdateDocument, paths: readonly string[]): UpdateDocument {
  const result: UpdateDocument = {};
  for (const [key, value] of Object.entries(update)) {
    if (key.startsWith('$') && isPlainObject(value)) {
      const kept = Object.fromEntries(Object.entries(value).filter(([path]) => !paths.some((p) => isWithin(path, p))));
      if (Object.keys(kept).length > 0) result[key] = kept;
    } else if (!paths.some((p) => isWithin(key, p))) {
      result[key] = value;
    }
  }
  return result;
}

/** Value at a dotted path inside a plain object; `undefined` when any step is missing. */
function valueAt(value: unknown, path: string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

export type Assignment = { assigned: false } | { assigned: true; value: unknown };

/**
 * What the update does to `path`: untouched, or assigned a value (`null` for `$unset`, or
 * when a parent object is assigned without it). Anything else that touches it — `$inc`,
 * `$rename`, `$setOnInsert`, an assignment inside it, ... — throws, so a derived key can
 * never silently fall out of step.
 */
export function assignmentTo(update: UpdateDocument, path: string): Assignment {
  let result: Assignment = { assigned: false };
  const consider = (key: string, value: unknown, operator: string | null) => {
    const renameTarget = operator === '$rename' && typeof value === 'string' && overlaps(value, path);
    if (!overlaps(key, path) && !renameTarget) return;
    if (operator === '$unset' && isWithin(path, key)) {
      result = { assigned: true, value: null };
    } else if ((operator === null || operator === '$set') && isWithin(path, key)) {
      // operator null: a top-level key, which Mongoose treats as $set
      const rest = path === key ? [] : path.slice(key.length + 1).split('.');
      result = { assigned: true, value: valueAt(value, rest) ?? null };
    } else {
      throw new UnsupportedUpdateError(
        `Update ${operator ?? '$set'} "${key}" changes "${path}" in a way middleware cannot recompute derived keys from; assign it with $set or use doc.save()`,
      );
    }
  };
  for (const [key, value] of Object.entries(update)) {
    if (!key.startsWith('$')) {
      consider(key, value, null);
    } else if (isPlainObject(value)) {
      for (const [inner, innerValue] of Object.entries(value)) consider(inner, innerValue, key);
    }
  }
  return result;
}

/** Copy of `update` whose `$set` also assigns `values` (merged with any `$set` already there). */
export function withSet(update: UpdateDocument, values: Record<string, unknown>): UpdateDocument {
  const existing = isPlainObject(update['$set']) ? update['$set'] : {};
  return { ...update, $set: { ...existing, ...values } };
}

/** Copy of `update` whose `$setOnInsert` also assigns `values`. */
export function withSetOnInsert(update: UpdateDocument, values: Record<string, unknown>): UpdateDocument {
  const existing = isPlainObject(update['$setOnInsert']) ? update['$setOnInsert'] : {};
  return { ...update, $setOnInsert: { ...existing, ...values } };
}

/** Asserts an update is a document, not an aggregation pipeline, which middleware cannot inspect. */
export function asUpdateDocument(update: unknown, model: string): UpdateDocument | null {
  if (update == null) return null;
  if (Array.isArray(update)) {
    throw new UnsupportedUpdateError(`Pipeline updates are not supported on ${model}: derived keys could not be recomputed`);
  }
  return update as UpdateDocument;
}
