import { ServiceMetrics } from '@directory/platform';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manyUsers, seedUsers } from './support/seed-users';
import { startUsersApi, type RegisteredUser, type UsersTestContext } from './support/users-test-app';

const EXPORTED = 5_000;

interface Download {
  status: number;
  contentType: string;
  body: string;
  /** Rows the server had read from the database when the first byte of the body arrived. */
  rowsReadAtFirstByte: number | null;
}

describe('GET /users/export streams every match as NDJSON or CSV', () => {
  let ctx: UsersTestContext;
  let admin: RegisteredUser;
  let port: number;

  /** Total of users_export_rows_total over all formats. */
  async function rowsRead(): Promise<number> {
    const metric = ctx.app.get(ServiceMetrics, { strict: false }).registry.getSingleMetric('users_export_rows_total');
    if (!metric) throw new Error('users_export_rows_total is not registered');
    return (await metric.get()).values.reduce((sum, value) => sum + value.value, 0);
  }

  function download(path: string, accept: string, token = admin.accessToken): Promise<Download> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: { accept, authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        let firstByte: Promise<number> | null = null;
        res.on('data', (chunk: Buffer) => {
          // Read the server's counter the moment the first bytes arrive, before reading on.
          firstByte ??= rowsRead();
          chunks.push(chunk);
        });
        res.on('end', () => {
          void (firstByte ?? Promise.resolve(null)).then((read) =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type']),
              body: Buffer.concat(chunks).toString('utf8'),
              rowsReadAtFirstByte: read,
            }),
          );
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    ctx = await startUsersApi();
    admin = await ctx.auth.registerAdmin();
    await seedUsers(ctx.users, manyUsers(EXPORTED, { department: 'Export' }), 'export');
    await seedUsers(ctx.users, manyUsers(20, { department: 'Export', status: 'deleted' }), 'export-deleted');
    await seedUsers(ctx.users, [{ first: '=HYPERLINK("http://evil")', last: 'Formula, "Quoted"', department: 'Formula' }], 'formula');
    const server = ctx.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => ctx?.close());

  it(`NDJSON: exactly ${EXPORTED} rows in directory order, streamed (the first bytes arrive before the last row is read)`, async () => {
    const before = await rowsRead();
    const res = await download('/users/export?department=Export', 'application/x-ndjson');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/x-ndjson/);
    const lines = res.body.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(EXPORTED);
    const rows = lines.map((line) => JSON.parse(line) as { id: string; department: string; status: string; version: number });
    expect(new Set(rows.map((row) => row.id)).size).toBe(EXPORTED);
    expect(rows.every((row) => row.department === 'Export' && row.status === 'active')).toBe(true);
    expect(await rowsRead()).toBe(before + EXPORTED);
    expect(res.rowsReadAtFirstByte).not.toBeNull();
    expect((res.rowsReadAtFirstByte as number) - before).toBeLessThan(EXPORTED);
    // Same order as the directory itself.
    const firstPage = await ctx.as(admin.accessToken).get('/users?department=Export&limit=100').expect(200);
    expect(rows.slice(0, 100).map((row) => row.id)).toEqual(firstPage.body.items.map((item: { id: string }) => item.id));
  });

  it(`CSV: a header and exactly ${EXPORTED} rows, streamed`, async () => {
    const before = await rowsRead();
    const res = await download('/users/export?department=Export', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/csv/);
    const lines = res.body.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(
      'id,email,name.first,name.last,displayName,title,department,location,phone,managerId,roles,status,lastLoginAt,createdAt,updatedAt',
    );
    expect(lines.slice(1)).toHaveLength(EXPORTED);
    expect((res.rowsReadAtFirstByte as number) - before).toBeLessThan(EXPORTED);
  });

  it('CSV quotes and defuses formula-looking cells', async () => {
    const res = await download('/users/export?department=Formula', 'text/csv');
    const [, row] = res.body.split('\r\n');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain('"Formula, ""Quoted"""');
  });

  it('applies the directory filters (deleted only when asked) and refuses unknown formats and parameters', async () => {
    const deleted = await download('/users/export?department=Export&status=deleted', 'application/x-ndjson');
    expect(deleted.body.trim().split('\n')).toHaveLength(20);
    const prefix = await download('/users/export?department=Export&q=ana', '*/*');
    expect(prefix.contentType).toMatch(/^application\/x-ndjson/);
    const expected = await ctx.users.countDocuments({ department: 'Export', status: 'active', searchPrefixes: 'ana' });
    expect(prefix.body.trim().split('\n')).toHaveLength(expected);
    expect((await download('/users/export', 'application/xml')).status).toBe(406);
    expect((await download('/users/export?limit=10', 'text/csv')).status).toBe(400);
    expect((await download('/users/export?q[$gt]=', 'text/csv')).status).toBe(400);
    const member = await ctx.auth.register();
    expect((await download('/users/export', 'text/csv', member.accessToken)).status).toBe(403);
  });
});
