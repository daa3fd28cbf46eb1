import { dropTestDatabase, testDatabase } from '@directory/testing';
import { openTargetDatabase, type TargetDatabase } from './target-database';

describe('openTargetDatabase', () => {
  const opened: TargetDatabase[] = [];
  const open = async (socketTimeoutMS?: number) => {
    const { uri, dbName } = testDatabase();
    const target = await openTargetDatabase({
      uri,
      dbName,
      appName: 'target-test',
      ...(socketTimeoutMS !== undefined && { socketTimeoutMS }),
    });
    opened.push(target);
    return target;
  };
  const socketTimeout = (target: TargetDatabase) => target.connection.getClient().options.socketTimeoutMS;

  afterAll(async () => {
    for (const target of opened) {
      await dropTestDatabase(target.connection, target.dbName);
      await target.close();
    }
  });

  it('gives bulk work no socket timeout (not the fast role 10 s), unless asked for one', async () => {
    expect(socketTimeout(await open())).toBe(0);
    expect(socketTimeout(await open(30_000))).toBe(30_000);
  });
});
