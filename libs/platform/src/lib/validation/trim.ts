import { Transform } from 'class-transformer';

/** Trims strings and leaves anything else alone, for the validators to refuse. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
