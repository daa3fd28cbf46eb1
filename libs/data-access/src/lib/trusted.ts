import mongoose from 'mongoose';

/**
 * Marks an operator object built by our own code. Connections run with `sanitizeFilter`,
 * which turns any other operator object (e.g. `{"$gt": ""}` from a client) into a literal `$eq`.
 */
export const trusted = <T extends object>(operator: T): T => mongoose.trusted(operator) as T;
