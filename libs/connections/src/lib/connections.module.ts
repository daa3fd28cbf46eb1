import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import type { ConnectionRole, RoleConnectionOptions } from './connection-roles';
import type { SchemaRegistration } from '@directory/schemas';
import { compileModels, compiledModelNames, createConnection } from './create-connection';
import { ConnectionHealthIndicator } from './connection-health';
import { connectionHealthToken, connectionOptionsToken, connectionToken, modelToken } from './connection-tokens';

export interface ConnectionsModuleAsyncOptions {
  role: ConnectionRole;
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => RoleConnectionOptions | Promise<RoleConnectionOptions>;
}

/** Closes a role's connection when the app shuts down (after HTTP has drained). */
class ConnectionCloser implements OnApplicationShutdown {
  constructor(private readonly connection: Connection) {}
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * `forRootAsync` registers one role as a named connection with no models; `forFeature`
 * compiles the schemas a module asks for onto a role's connection (the `@nestjs/mongoose`
 * pattern), so a model exists only where it is needed: users-api never compiles the
 * credentials schema, and repositories get models with `@InjectModel(ModelName.User, role)`.
 * The root module owns the connection's life: opened while the app initialises (start-up
 * fails if the database is unreachable), closed on shutdown.
 */
@Module({})
export class ConnectionsModule {
  static forRootAsync(options: ConnectionsModuleAsyncOptions): DynamicModule {
    const { role } = options;
    const optionsProvider: FactoryProvider = {
      provide: connectionOptionsToken(role),
      useFactory: options.useFactory as (...args: unknown[]) => RoleConnectionOptions,
      inject: options.inject ?? [],
    };
    const connectionProvider: FactoryProvider = {
      provide: connectionToken(role),
      useFactory: (connectionOptions: RoleConnectionOptions) => createConnection(role, connectionOptions, []),
      inject: [connectionOptionsToken(role)],
    };
    const healthProvider: FactoryProvider = {
      provide: connectionHealthToken(role),
      useFactory: (connection: Connection, indicators: HealthIndicatorService) => new ConnectionHealthIndicator(connection, indicators),
      inject: [connectionToken(role), HealthIndicatorService],
    };
    const closerProvider: FactoryProvider = {
      provide: `directory:${role}:connection-closer`,
      useFactory: (connection: Connection) => new ConnectionCloser(connection),
      inject: [connectionToken(role)],
    };
    return {
      module: ConnectionsModule,
      global: true,
      imports: [...(options.imports ?? []), TerminusModule],
      providers: [optionsProvider, connectionProvider, healthProvider, closerProvider],
      exports: [connectionToken(role), connectionHealthToken(role)],
    };
  }

  /** The models of `schemas` (discriminators included) on `role`'s connection, for one module. */
  static forFeature(schemas: readonly SchemaRegistration[], role: ConnectionRole): DynamicModule {
    const providers: Provider[] = compiledModelNames(schemas).map((name) => ({
      provide: modelToken(name, role),
      useFactory: (connection: Connection) => {
        compileModels(connection, schemas);
        return connection.model(name);
      },
      inject: [connectionToken(role)],
    }));
    return { module: ConnectionsModule, providers, exports: providers };
  }
}
