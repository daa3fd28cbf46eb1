import mongoose, { type Connection } from 'mongoose';
import { SCHEMA_REGISTRY, type SchemaRegistration } from '@directory/schemas';
import { ConnectionRole, DEFAULT_SLOW_MAX_TIME_MS, ROLE_TUNING, connectOptionsFor, type RoleConnectionOptions } from './connection-roles';
import { withAggregationBudget } from './aggregation-budget';
import { serverCapabilities, withoutTtlIndexes, type ServerCapabilities } from './server-capabilities';

/** What compiling a schema onto a connection depends on, learnt once when it opens. */
interface Preparation {
  role: ConnectionRole;
  maxTimeMS: number;
  capabilities: ServerCapabilities;
}

const preparations = new WeakMap<Connection, Preparation>();

/**
 * Opens a role-tuned connection and compiles `schemas` onto it (PRINCIPLES.md #1: the schema
 * lib exports schemas; each connection compiles its own models). By default every shared
 * schema, which is what one-off tools want; the Nest module passes none and lets each feature
 * module compile only what it asks for (`ConnectionsModule.forFeature`). Resolves once the
 * server answers. Commands are not buffered (`bufferCommands: false`), so models are compiled
 * only after the connection is open: their index and collection set-up needs it.
 */
export async function createConnection(
  role: ConnectionRole,
  options: RoleConnectionOptions,
  schemas: readonly SchemaRegistration[] = SCHEMA_REGISTRY,
): Promise<Connection> {
  const connection = mongoose.createConnection(options.uri, connectOptionsFor(role, options));
  try {
    await connection.asPromise();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  preparations.set(connection, {
    role,
    maxTimeMS: options.maxTimeMS ?? DEFAULT_SLOW_MAX_TIME_MS,
    capabilities: await serverCapabilities(connection),
  });
  compileModels(connection, schemas);
  return connection;
}

/** Every model name a registry compiles to, discriminators included. */
export function compiledModelNames(registry: readonly SchemaRegistration[] = SCHEMA_REGISTRY): string[] {
  return registry.flatMap((entry) => [entry.name, ...(entry.discriminators ?? []).map((d) => d.name)]);
}

/**
 * Compiles each registration onto a connection opened by `createConnection`, tuned for its
 * role (the slow role's aggregation budget; TTL kept as a plain index where the server has
 * none). A model the connection already has is left as it is, so feature modules that ask
 * for the same schema share one model.
 */
export function compileModels(connection: Connection, schemas: readonly SchemaRegistration[]): void {
  const preparation = preparations.get(connection);
  if (!preparation) throw new Error('compileModels: the connection was not opened by createConnection');
  const budget = ROLE_TUNING[preparation.role].aggregationBudget;
  const prepare = (schema: mongoose.Schema) => {
    const portable = preparation.capabilities.ttlIndexes ? schema : withoutTtlIndexes(schema);
    return budget ? withAggregationBudget(portable, preparation.maxTimeMS) : portable;
  };
  for (const entry of schemas) {
    if (connection.models[entry.name]) continue;
    const model = connection.model(entry.name, prepare(entry.schema));
    for (const discriminator of entry.discriminators ?? []) {
      model.discriminator(discriminator.name, prepare(discriminator.schema));
    }
  }
}
