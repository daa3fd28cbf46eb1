import { ActivitySchema } from './activity/activity.schema';
import { AuthenticationMethodSchema } from './auth/authentication-method.schema';
import { SessionSchema } from './auth/session.schema';
import { EVENT_DISCRIMINATORS } from './event/event-kinds.schema';
import { EventSchema } from './event/event.schema';
import { ModelName, type SchemaRegistration } from './registry';
import { UserSchema } from './user/user.schema';

/**
 * Every shared schema with the name to compile it under. libs/connections compiles each
 * entry onto each connection it creates (`conn.model(name, schema)`, then every
 * discriminator on that model); nothing here ever creates a model (PRINCIPLES.md #1).
 */
export const SCHEMA_REGISTRY: readonly SchemaRegistration[] = [
  { name: ModelName.User, schema: UserSchema },
  { name: ModelName.AuthenticationMethod, schema: AuthenticationMethodSchema },
  { name: ModelName.Session, schema: SessionSchema },
  {
    name: ModelName.Event,
    schema: EventSchema,
    discriminators: EVENT_DISCRIMINATORS,
  },
  { name: ModelName.Activity, schema: ActivitySchema },
];
