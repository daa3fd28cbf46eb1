import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ConnectionRole, ConnectionsModule, connectionToken } from '@directory/connections';
import { ModelName } from '@directory/schemas';
import type { Connection } from 'mongoose';
import { DataAccessModule, repositoryToken } from './data-access.module';
import { EventsRepository } from './events/events.repository';
import { UsersRepository } from './users/users.repository';

const uri = process.env['MONGODB_URI'] as string;
const dbName = `t_data_access_module_${process.env['JEST_WORKER_ID']}_${Date.now().toString(36)}`;

@Module({ imports: [DataAccessModule.forFeature([UsersRepository])] })
class DirectoryFeature {}

@Module({ imports: [DataAccessModule.forFeature([UsersRepository, EventsRepository], ConnectionRole.Slow)] })
class ReportsFeature {}

describe('DataAccessModule.forFeature on real connections', () => {
  it('compiles only the models its repositories name, on the role it names', async () => {
    const app = await Test.createTestingModule({
      imports: [
        ConnectionsModule.forRootAsync({ role: ConnectionRole.Fast, useFactory: () => ({ uri, dbName, autoIndex: false }) }),
        ConnectionsModule.forRootAsync({ role: ConnectionRole.Slow, useFactory: () => ({ uri, dbName, autoIndex: false }) }),
        DirectoryFeature,
        ReportsFeature,
      ],
    }).compile();
    await app.init();
    try {
      const fast = app.get<Connection>(connectionToken(ConnectionRole.Fast));
      const slow = app.get<Connection>(connectionToken(ConnectionRole.Slow));
      expect(fast.modelNames()).toEqual([ModelName.User]);
      expect(slow.modelNames().sort()).toEqual(expect.arrayContaining([ModelName.User, ModelName.Event, 'UserSearched']));
      expect(slow.modelNames()).not.toContain(ModelName.Session);
      expect(app.get(UsersRepository)).toBeInstanceOf(UsersRepository);
      expect(app.get(repositoryToken(UsersRepository, ConnectionRole.Slow))).not.toBe(app.get(UsersRepository));
    } finally {
      await app.close();
    }
  });
});
