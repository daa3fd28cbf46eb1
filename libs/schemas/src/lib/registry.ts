import type { Schema } from 'mongoose';

/** Model names; use them with `connection.model(ModelName.User)` or in a repository (libs/data-access). */
export const ModelName = {
  User: 'User',
  Session: 'Session',
  Event: 'Event',
  Activity: 'Activity',
  OutboxMessage: 'OutboxMessage',
  OutboxClaim: 'OutboxClaim',
} as const;
export type ModelName = (typeof ModelName)[keyof typeof ModelName];

export interface DiscriminatorRegistration {
  /** Model name of the discriminator, also its discriminator value (e.g. 'LoginSucceeded'). */
  name: string;
  schema: Schema;
}

/**
 * A schema and how to compile it. Schemas are exported, never models (PRINCIPLES.md #1):
 * libs/connections compiles every entry onto each connection it creates.
 */
export interface SchemaRegistration {
  /** A ModelName, or a model only some apps may compile (libs/credentials). */
  name: string;
  schema: Schema;
  discriminators?: readonly DiscriminatorRegistration[];
}
