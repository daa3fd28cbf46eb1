import { ActivitySchema } from './activity/activity.schema';
import { SessionSchema } from './auth/session.schema';
import { EVENT_DISCRIMINATORS } from './event/event-kinds.schema';
import { EventSchema } from './event/event.schema';
import { OutboxClaimSchema, OutboxMessageSchema } from './mail/outbox-message.schema';
import { ModelName, type SchemaRegistration } from './registry';
import { UserSchema } from './user/user.schema';

/**
 * Every shared schema with the name to compile it under; a feature module asks libs/connections
 * for the ones it needs (`ConnectionsModule.forFeature([USER_SCHEMA], role)`), which compiles
 * them with `conn.model(name, schema)` and each discriminator; nothing here ever creates a
 * model (PRINCIPLES.md #1). Secret-holding schemas are not here: they live in
 * libs/credentials, which only auth-api (and operator tools) may import.
 */
export const USER_SCHEMA: SchemaRegistration = { name: ModelName.User, schema: UserSchema };
export const SESSION_SCHEMA: SchemaRegistration = { name: ModelName.Session, schema: SessionSchema };
export const EVENT_SCHEMA: SchemaRegistration = { name: ModelName.Event, schema: EventSchema, discriminators: EVENT_DISCRIMINATORS };
export const ACTIVITY_SCHEMA: SchemaRegistration = { name: ModelName.Activity, schema: ActivitySchema };

/** The mail outbox holds no secret (tokens are minted when a message is sent), so users-api may write it. */
export const OUTBOX_MESSAGE_SCHEMA: SchemaRegistration = { name: ModelName.OutboxMessage, schema: OutboxMessageSchema };
export const OUTBOX_CLAIM_SCHEMA: SchemaRegistration = { name: ModelName.OutboxClaim, schema: OutboxClaimSchema };

export const SCHEMA_REGISTRY: readonly SchemaRegistration[] = [
  USER_SCHEMA,
  SESSION_SCHEMA,
  EVENT_SCHEMA,
  ACTIVITY_SCHEMA,
  OUTBOX_MESSAGE_SCHEMA,
  OUTBOX_CLAIM_SCHEMA,
];
