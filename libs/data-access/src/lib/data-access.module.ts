import { Inject, Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { ConnectionRole, ConnectionsModule, connectionToken, modelToken, compiledModelNames } from '@directory/connections';
import type { SchemaRegistration } from '@directory/schemas';
import type { Connection } from 'mongoose';

/** A repository: built from one role's connection, on which its schemas are compiled. */
export interface RepositoryType<T = unknown> {
  new (connection: Connection): T;
  /** The schemas whose models the repository reads and writes. */
  readonly schemas: readonly SchemaRegistration[];
}

/**
 * The injection token of a repository on a role. On the fast role (the default for request
 * work) it is the class itself, so services inject `UsersRepository` by type; other roles
 * get a named token for `@InjectRepository(UsersRepository, ConnectionRole.Slow)`.
 */
export function repositoryToken(repository: RepositoryType, role: ConnectionRole = ConnectionRole.Fast): RepositoryType | string {
  return role === ConnectionRole.Fast ? repository : `directory:${role}:${repository.name}`;
}

export const InjectRepository = (repository: RepositoryType, role: ConnectionRole = ConnectionRole.Fast): ParameterDecorator =>
  Inject(repositoryToken(repository, role));

/**
 * Repositories for one module on one role: compiles only the schemas they name onto that
 * role's connection (`ConnectionsModule.forFeature`) and provides one instance each.
 *
 *   imports: [DataAccessModule.forFeature([UsersRepository, SessionsRepository])]
 */
@Module({})
export class DataAccessModule {
  static forFeature(repositories: readonly RepositoryType[], role: ConnectionRole = ConnectionRole.Fast): DynamicModule {
    const schemas = [...new Set(repositories.flatMap((repository) => repository.schemas))];
    const models = compiledModelNames(schemas).map((name) => modelToken(name, role));
    const providers: FactoryProvider[] = repositories.map((repository) => ({
      provide: repositoryToken(repository, role),
      // The models are injected only so that they are compiled before the repository reads them.
      useFactory: (connection: Connection) => new repository(connection),
      inject: [connectionToken(role), ...models],
    }));
    return {
      module: DataAccessModule,
      imports: [ConnectionsModule.forFeature(schemas, role)],
      providers,
      exports: providers.map((provider) => provider.provide),
    };
  }
}
