import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiParam } from '@nestjs/swagger';
import type { Refusal } from '@directory/platform';

/** A 24-digit hex ObjectId, as ParseObjectIdPipe and `@IsMongoId()` accept it. */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';

/** `If-Match` as common/if-match.ts reads it: one version, quoted (`"3"`) or bare. */
export const IF_MATCH_PATTERN = '^("[0-9]{1,9}"|[0-9]{1,9})$';

/** The `:id` path parameter of a user, with the shape ParseObjectIdPipe checks (anything else is a 400 `invalid_id`). */
export const ApiUserIdParam = (): MethodDecorator =>
  ApiParam({ name: 'id', description: "The user's id", schema: { type: 'string', pattern: OBJECT_ID_PATTERN } });

/**
 * Refusals of schema-valid requests that no JSON schema can express (between parameters, or
 * against the data), listed under `x-refusals` so clients and the contract test know them.
 */
export const ApiRefusals = (...refusals: Refusal[]): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiExtension('x-refusals', refusals));
