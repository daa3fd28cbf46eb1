import { PassThrough } from 'node:stream';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { openTargetDatabase } from '../shared/target-database';
import { UsageError } from '../shared/cli-args';
import { argon2FromEnv, runSeedCli } from './seed-cli';
import { AUTH_API_ARGON2 } from './seed-run';

/** Runs the CLI with its output captured (not a TTY, so progress comes as lines). */
async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const code = await runSeedCli({ argv, env, out: out as unknown as NodeJS.WriteStream });
  return { code, text };
}

describe('seed CLI', () => {
  const { uri, dbName } = testDatabase();

  afterAll(async () => {
    const target = await openTargetDatabase({ uri, dbName, appName: 'seed-cli-test' });
    await dropTestDatabase(target.connection, target.dbName);
    await target.close();
  });

  it('seeds the database it is given, reports rates and prints the admin login', async () => {
    const args = ['--users', '120', '--days', '14', '--seed', 'cli', '--until', '2026-01-31', '--uri', uri, '--db', dbName];
    const { code, text } = await cli(args);
    expect(code).toBe(0);
    expect(text).toMatch(/^users +100% 120\/120 users \| [\d,]+ users\/s \| in /m);
    expect(text).toMatch(/^events +100% /m);
    expect(text).toMatch(/users +120 +new 120, already there 0/);
    expect(text).toMatch(/[\d,]+ users\/s, [\d,]+ events\/s/);
    expect(text).toMatch(/^Admin login: \S+@\S+ \/ directory-demo-password$/m);

    const again = await cli(args);
    expect(again.text).toMatch(/users +120 +new 0, already there 120/);
    const target = await openTargetDatabase({ uri, dbName, appName: 'seed-cli-test' });
    try {
      expect(await target.connection.collection('users').countDocuments()).toBe(120);
    } finally {
      await target.close();
    }
  });

  it('refuses bad arguments and production with a usage error, before touching a database', async () => {
    await expect(cli(['--users', '0', '--uri', 'mongodb://127.0.0.1:1'])).rejects.toThrow(UsageError);
    await expect(cli(['--users', 'ten'])).rejects.toThrow('--users must be a positive integer, got "ten"');
    await expect(cli(['--until', '31.01.2026'])).rejects.toThrow('--until must be YYYY-MM-DD');
    await expect(cli(['--password', 'short'])).rejects.toThrow('at least 10 characters');
    await expect(cli(['--bogus'])).rejects.toThrow(UsageError);
    await expect(cli([], { NODE_ENV: 'production' })).rejects.toThrow(/refusing to seed with NODE_ENV=production/);
  });

  it('hashes with the argon2 parameters auth-api is configured with', () => {
    expect(argon2FromEnv({})).toEqual(AUTH_API_ARGON2);
    expect(argon2FromEnv({ AUTH_ARGON2_MEMORY_KIB: '47104', AUTH_ARGON2_TIME_COST: '1', AUTH_ARGON2_PARALLELISM: '2' })).toEqual({
      memoryCost: 47104,
      timeCost: 1,
      parallelism: 2,
    });
    expect(() => argon2FromEnv({ AUTH_ARGON2_TIME_COST: 'two' })).toThrow(UsageError);
  });
});
