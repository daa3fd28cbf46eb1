import mongoose, { type Connection } from 'mongoose';
import { SCHEMA_REGISTRY, type SchemaRegistration } from '@directory/schemas';
import {
  ConnectionRole,
  DEFAULT_SLOW_MAX_TIME_MS,
  ROLE_TUNING,
  connectOptionsFor,
  type RoleConnectionOptions,
} from './connection-roles';
import { withAggregationBudget } from './aggregation-budget';
import { serverCapabilities, withoutTtlIndexes, type ServerCapabilities } from './server-capabilities';

/**
 * Opens a role-tuned connection and compiles every shared schema onto it (PRINCIPLES.md #1:
 * the schema lib exports schemas; each connection compiles its own models). Resolves once
 * the server answers. Commands are not buffered (`bufferCommands: false`), so the models are
 * compiled only after the connection is open: their index and collection set-up needs it.
 */
export async function createConnection(role: ConnectionRole, options: RoleConnectionOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, connectOptionsFor(role, options));
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  const capabilities = await serverCapabilities(connection);
  compileSchemas(connection, role, options.maxTimeMS ?? DEFAULT_SLOW_MAX_TIME_MS, capabilities);
  return connection;
}

/** Every model name a connection carries, discriminators included. */
export function compiledModelNames(registry: readonly SchemaRegistration[] = SCHEMA_REGISTRY): string[] {
  return registry.flatMap((entry) => [entry.name, ...(entry.discriminators ?? []).map((d) => d.name)]);
}

function compileSchemas(
  connection: Connection,
  role: ConnectionRole,
  maxTimeMS: number,
  capabilities: ServerCapabilities,
): void {
  const budget = ROLE_TUNING[role].aggregationBudget;
  const prepare = (schema: mongoose.Schema) => {
    const portable = capabilities.ttlIndexes ? schema : withoutTtlIndexes(schema);
    return budget ? withAggregationBudget(portable, maxTimeMS) : portable;
  };
  for (const entry of SCHEMA_REGISTRY) {
    const model = connection.model(entry.name, prepare(entry.schema));
    for (const discriminator of entry.discriminators ?? []) {
      model.discriminator(discriminator.name, prepare(discriminator.schema));
    }
  }
}
