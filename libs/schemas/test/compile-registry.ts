import mongoose, { type Connection } from 'mongoose';
import { SCHEMA_REGISTRY } from '../src/lib/schema-registry';

/**
 * Compiles the registry the way libs/connections does, onto a fresh connection that is
 * never opened: validation and middleware run without a server, and with buffering off
 * an operation fails at once after its pre hooks instead of waiting for a connection.
 */
export function compileRegistry(): Connection {
  const connection = mongoose.createConnection();
  // What `createConnection(uri, { bufferCommands: false })` records; set directly because
  // an unopened connection never reads its options.
  (connection.config as { bufferCommands?: boolean }).bufferCommands = false;
  for (const entry of SCHEMA_REGISTRY) {
    const model = connection.model(entry.name, entry.schema);
    for (const discriminator of entry.discriminators ?? []) model.discriminator(discriminator.name, discriminator.schema);
  }
  return connection;
}
