import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import type { mongo } from 'mongoose';
import { ModelName } from '@directory/schemas';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { openTargetDatabase, type TargetDatabase } from '../shared/target-database';
import type { ReportEntry } from './import-report';
import { importUsers, type ImportResult } from './import-users';
import type { InputFormat } from './row-source';

// bcrypt (cost 10) of "password", as written by three bcrypt implementations.
const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const BCRYPT_Y = '$2y$' + BCRYPT.slice(4);

const HEADER = 'email,first_name,last_name,display_name,title,department,location,phone,manager_email,roles,status,password_hash';

describe('import (real database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'directory-import-'));
  const targets: TargetDatabase[] = [];
  let target: TargetDatabase;
  let ARGON2ID: string;
  let ARGON2I: string;

  const open = async () => {
    const { uri, dbName } = testDatabase();
    const opened = await openTargetDatabase({ uri, dbName, appName: 'import-test' });
    targets.push(opened);
    return opened;
  };
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const run = async (db: TargetDatabase, path: string, format: InputFormat, batchSize?: number) => {
    const reportPath = `${path}.report.ndjson`;
    const result = await importUsers(db.connection, { path, format, reportPath, ...(batchSize && { batchSize }) });
    const report = readFileSync(reportPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ReportEntry);
    return { result, report };
  };
  const rejected = (report: ReportEntry[]) =>
    Object.fromEntries(report.filter((e) => e.status === 'rejected').map((e) => [e.row, e.reasons.join('; ')]));
  const users = (db: TargetDatabase) => db.connection.collection('users');
  const methods = (db: TargetDatabase) => db.connection.collection('authenticationmethods');

  beforeAll(async () => {
    ARGON2ID = await argon2.hash('old-password-1', { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 });
    ARGON2I = await argon2.hash('old-password-2', { type: argon2.argon2i, memoryCost: 4096, timeCost: 2 });
    target = await open();
    await target.connection.model(ModelName.User).create({ email: 'existing@acme.example', name: { first: 'Existing', last: 'User' } });
  });

  afterAll(async () => {
    for (const db of targets) {
      await dropTestDatabase(db.connection, db.dbName);
      await db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const csv = () =>
    [
      HEADER,
      `alice@acme.example,Alice,Ñúñez,,Engineer,Engineering,Kraków,,boss@acme.example,member,,"${ARGON2ID}"`, // 1: manager later in the file
      `Boss@ACME.example,Bo,Müller,,"Head of Sales, EMEA",Sales,Zürich,+41 44 000 00 00,,member|admin,active,${BCRYPT}`, // 2
      'not-an-email,Bad,Email,,,,,,,,,', // 3
      'nolast@acme.example,No,,,,,,,,,,', // 4
      'root@acme.example,Root,User,,,,,,,root,,', // 5: unknown role
      'ALICE@acme.example,Alice,Again,,,,,,,,,', // 6: duplicate of row 1
      'existing@acme.example,Existing,Again,,,,,,,,,', // 7: already in the database
      'carol@acme.example,Carol,Øystein,,,,,,existing@acme.example,,suspended,', // 8: manager in the database, no password
      'dave@acme.example,Dave,Łukasz,,,,,,nobody@acme.example,,,', // 9: unknown manager
      'erin@acme.example,Erin,Zoë,,,,,,,,,hunter22', // 10: plaintext password
      `frank@acme.example,Frank,"Weiß",,,,,,,,,${BCRYPT_Y}`, // 11
      'short@acme.example,Too,Few', // 12: wrong field count
      'gina@acme.example,Gina,Straße,,,,,,gina@acme.example,,,', // 13: own manager
      `hal@acme.example,Hal,Unquoted,,,,,,,,,${ARGON2ID}`, // 14: argon2's commas split the field
    ].join('\r\n') + '\r\n';

  let csvRun: { result: ImportResult; report: ReportEntry[] };

  it('imports the valid CSV rows and reports exactly the rejected ones with row numbers and reasons', async () => {
    csvRun = await run(target, file('users.csv', csv()), 'csv', 4);
    const { result, report } = csvRun;
    expect(result).toMatchObject({ rows: 14, inserted: 5, skippedExisting: 1, rejected: 8, warnings: 1, withoutPassword: 2 });
    expect(result.passwords).toEqual({ argon2id: 1, argon2i: 0, bcrypt: 2 });
    const reasons = rejected(report);
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 10, 12, 13, 14]);
    expect(reasons[3]).toBe('email: Invalid email address');
    expect(reasons[4]).toBe('name.last: Path `name.last` is required.');
    expect(reasons[5]).toMatch(/^roles\.0: `root` is not a valid enum value/);
    expect(reasons[6]).toBe('email: duplicate of row 1 in this file');
    expect(reasons[10]).toMatch(/^password_hash: not an argon2/);
    expect(reasons[12]).toBe('expected 12 fields like the header, found 3');
    expect(reasons[13]).toBe('manager_email: a user cannot be their own manager');
    expect(reasons[14]).toBe('expected 12 fields like the header, found 14 (argon2 hashes contain commas: quote the password_hash field)');
    const byRow = new Map(report.map((e) => [e.row, e]));
    expect(byRow.get(3)).toMatchObject({ line: 4, email: 'not-an-email' });
    expect(report.filter((e) => e.status === 'warning')).toEqual([
      { status: 'warning', row: 9, line: 10, email: 'dave@acme.example', reasons: [expect.stringMatching(/no user nobody@acme\.example/)] },
    ]);
  });

  it('stores users as the schema would, with managers resolved in any order', async () => {
    const byEmail = new Map((await users(target).find({}).toArray()).map((u) => [u['email'], u]));
    expect(byEmail.size).toBe(6);
    const alice = byEmail.get('alice@acme.example') as mongo.Document;
    const boss = byEmail.get('boss@acme.example') as mongo.Document;
    expect(alice['managerId']).toEqual(boss['_id']);
    expect(byEmail.get('carol@acme.example')?.['managerId']).toEqual(byEmail.get('existing@acme.example')?.['_id']);
    expect(byEmail.get('dave@acme.example')?.['managerId']).toBeUndefined();
    expect(boss).toMatchObject({
      roles: ['member', 'admin'],
      title: 'Head of Sales, EMEA',
      status: 'active',
      emailDomain: 'acme.example',
      __v: 0,
    });
    expect(byEmail.get('carol@acme.example')?.['status']).toBe('suspended');
    expect(alice['searchKeys']).toContain('nunez');
    expect(alice['createdAt']).toEqual(alice['updatedAt']);
    // Exactly what the schema accepts as stored.
    const User = target.connection.model(ModelName.User);
    for (const raw of byEmail.values()) await expect(User.hydrate(raw).validate()).resolves.toBeUndefined();
  });

  it('keeps pre-hashed passwords as given, flagged for rehash; no hash, no method', async () => {
    const all = await methods(target).find({}).toArray();
    const byUser = new Map(all.map((m) => [String(m['userId']), m]));
    const idOf = async (email: string) => String((await users(target).findOne({ email }))?.['_id']);
    expect(byUser.get(await idOf('alice@acme.example'))).toMatchObject({
      type: 'password',
      secret: ARGON2ID,
      needsRehash: true,
      failedAttempts: 0,
    });
    expect(byUser.get(await idOf('boss@acme.example'))).toMatchObject({ secret: BCRYPT, needsRehash: true });
    expect(byUser.get(await idOf('frank@acme.example'))).toMatchObject({ secret: BCRYPT_Y, needsRehash: true });
    expect(byUser.has(await idOf('carol@acme.example'))).toBe(false);
    expect(await argon2.verify(ARGON2ID, 'old-password-1')).toBe(true);
  });

  it('is idempotent: importing the file again skips every imported row and reports the same rejects', async () => {
    const before = await users(target).countDocuments();
    const again = await run(target, file('users-again.csv', csv()), 'csv');
    expect(again.result).toMatchObject({ rows: 14, inserted: 0, skippedExisting: 6, rejected: 8 });
    expect(rejected(again.report)).toEqual(rejected(csvRun.report));
    expect(await users(target).countDocuments()).toBe(before);
    expect(await methods(target).countDocuments()).toBe(3);
  });

  it('rejects a CSV row with broken quotes by its line and reads on from the next one', async () => {
    const db = await open();
    const path = file(
      'quotes.csv',
      [
        HEADER,
        'stray"quote@acme.example,Stray,Quote,,,,,,,,,', // row 1, line 2
        'multi@acme.example,Multi,Line,,"Head of\r\nSales",,,,,,,', // row 2, lines 3-4
        '"text"after@acme.example,Text,After,,,,,,,,,', // row 3, line 5
        'after@acme.example,After,Row,,,,,,,,,', // row 4, line 6
        '',
        '"open@acme.example,Open,Quote,,,,,,,,,', // row 5, line 8: swallows the rest
        'never@acme.example,Never,Read,,,,,,,,,',
      ].join('\r\n'),
    );
    const { result, report } = await run(db, path, 'csv');
    expect(result).toMatchObject({ rows: 5, inserted: 2, rejected: 3 });
    expect(report.filter((e) => e.status === 'rejected').map(({ row, line, reasons }) => ({ row, line, reasons }))).toEqual([
      { row: 1, line: 2, reasons: ['malformed CSV: a quote inside an unquoted field'] },
      { row: 3, line: 5, reasons: ['malformed CSV: unexpected text after a closing quote'] },
      { row: 5, line: 8, reasons: ['malformed CSV: unterminated quoted field'] },
    ]);
    const stored = await users(db)
      .find({}, { projection: { email: 1, title: 1 } })
      .sort({ email: 1 })
      .toArray();
    expect(stored.map(({ email, title }) => ({ email, title }))).toEqual([
      { email: 'after@acme.example', title: undefined },
      { email: 'multi@acme.example', title: 'Head of\r\nSales' },
    ]);
  });

  it('reads NDJSON with nested names and refuses operator objects, bad JSON and wrong shapes', async () => {
    const lines = [
      JSON.stringify({
        email: 'hana@acme.example',
        name: { first: 'Hana', last: 'Dvořák' },
        roles: ['admin'],
        password_hash: ARGON2I,
        manager_email: 'boss@acme.example',
      }),
      JSON.stringify({ email: { $gt: '' }, first_name: 'Op', last_name: 'Erator' }),
      '{"email": "broken@acme.example", ',
      '[1, 2]',
      JSON.stringify({ email: 'HANA@acme.example', first_name: 'Hana', last_name: 'Twice' }),
      JSON.stringify({ email: 'alice@acme.example', first_name: 'Alice', last_name: 'Exists' }),
      JSON.stringify({ email: 'ivan@acme.example', first_name: 'Ivan', last_name: 'Root', roles: ['member', 'superuser'] }),
      JSON.stringify({ email: 'jan@acme.example', name: 'Jan Novák' }),
      '',
      JSON.stringify({ email: 'kim@acme.example', name: { first: 'Kim', last: 'Lee' }, status: 'deleted', extra_field: 1 }),
      JSON.stringify({ email: 'lee@acme.example', first_name: { $ne: null }, last_name: 'X', $where: '1' }),
    ];
    const { result, report } = await run(target, file('users.ndjson', lines.join('\n')), 'ndjson');
    expect(result).toMatchObject({ rows: 10, inserted: 2, skippedExisting: 1, rejected: 7, warnings: 0, unknownKeys: ['extra_field'] });
    expect(result.passwords.argon2i).toBe(1);
    const reasons = rejected(report);
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 7, 8, 10]);
    expect(reasons[2]).toBe('email: expected a string, got an object');
    expect(reasons[3]).toMatch(/^invalid JSON/);
    expect(reasons[4]).toBe('expected a JSON object');
    expect(reasons[5]).toBe('email: duplicate of row 1 in this file');
    expect(reasons[7]).toMatch(/^roles\.1: `superuser` is not a valid enum value/);
    expect(reasons[8]).toBe('name: expected {"first", "last"}, got a string');
    expect(reasons[10]).toContain('$where: field names may not start with "$"');
    expect(reasons[10]).toContain('first_name: expected a string, got an object');
    // Line numbers count the blank line, row numbers do not.
    expect(report.find((e) => e.row === 10)?.line).toBe(11);
    const hana = await users(target).findOne({ email: 'hana@acme.example' });
    expect(hana?.['managerId']).toEqual((await users(target).findOne({ email: 'boss@acme.example' }))?.['_id']);
    expect(await methods(target).findOne({ userId: hana?.['_id'] })).toMatchObject({ secret: ARGON2I, needsRehash: true });
  });

  it('never leaves an AuthenticationMethod without its User, nor a user without the password it came with', async () => {
    // Force the second insert to fail for one row: a unique index on `secret` and a method
    // that already holds the hash the row brings.
    const db = await open();
    await methods(db).createIndex({ secret: 1 }, { unique: true });
    await methods(db).insertOne({ userId: db.connection.base.mongo.ObjectId.createFromTime(0), type: 'password', secret: BCRYPT });
    const path = file(
      'clash.csv',
      [
        HEADER,
        `ok@acme.example,Ok,One,,,,,,,,,"${ARGON2ID}"`,
        `clash@acme.example,Clash,Two,,,,,,ok@acme.example,,,${BCRYPT}`,
        'nopass@acme.example,No,Pass,,,,,,clash@acme.example,,,',
      ].join('\n'),
    );
    const { result, report } = await run(db, path, 'csv');
    expect(result).toMatchObject({ inserted: 2, rejected: 1, warnings: 1 });
    expect(rejected(report)).toEqual({ 2: expect.stringMatching(/^password_hash: could not be stored .*; the user was not imported$/) });
    expect(await users(db).findOne({ email: 'clash@acme.example' })).toBeNull();
    // The report of the removed user is not left pointing at a deleted id.
    expect((await users(db).findOne({ email: 'nopass@acme.example' }))?.['managerId']).toBeUndefined();
    expect(report.find((e) => e.status === 'warning')).toMatchObject({ row: 3, email: 'nopass@acme.example' });
  });

  it('holds the invariant across every database this file wrote', async () => {
    for (const db of targets) {
      const userIds = new Set(
        (
          await users(db)
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((u) => String(u['_id'])),
      );
      const orphans = (await methods(db).find({}).toArray()).filter((m) => !userIds.has(String(m['userId'])));
      // The one method planted by the clash test belongs to no user on purpose.
      expect(orphans.filter((m) => m['secret'] !== BCRYPT)).toEqual([]);
    }
  });
});
