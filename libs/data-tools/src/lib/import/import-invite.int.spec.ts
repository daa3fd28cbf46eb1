import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import argon2 from 'argon2';
import type { mongo } from 'mongoose';
import { ModelName } from '@directory/schemas';
import { dropTestDatabase, testDatabase } from '@directory/testing';
import { UsageError } from '../shared/cli-args';
import { openTargetDatabase, type TargetDatabase } from '../shared/target-database';
import { runImportCli } from './import-cli';
import type { ReportEntry } from './import-report';
import { importUsers, resolveInviter, type Inviter } from './import-users';

const HEADER = 'email,first_name,last_name,display_name,title,department,location,phone,manager_email,roles,status,password_hash';

describe('import --invite (real database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'directory-import-invite-'));
  const targets: TargetDatabase[] = [];
  let ARGON2ID: string;

  const open = async () => {
    const { uri, dbName } = testDatabase();
    const opened = await openTargetDatabase({ uri, dbName, appName: 'import-invite-test' });
    targets.push(opened);
    return opened;
  };
  const file = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, [HEADER, ...lines].join('\n') + '\n');
    return path;
  };
  const run = async (db: TargetDatabase, path: string, invite?: Inviter, batchSize = 2) => {
    const reportPath = `${path}.report.ndjson`;
    const result = await importUsers(db.connection, { path, format: 'csv', reportPath, batchSize, ...(invite && { invite }) });
    const report = readFileSync(reportPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ReportEntry);
    return { result, report };
  };
  const users = (db: TargetDatabase) => db.connection.collection('users');
  const methods = (db: TargetDatabase) => db.connection.collection('authenticationmethods');
  const outbox = (db: TargetDatabase) => db.connection.collection('outboxmessages');
  const events = (db: TargetDatabase) => db.connection.collection('events');
  const addUser = (db: TargetDatabase, email: string, extra: Record<string, unknown> = {}) =>
    db.connection.model(ModelName.User).create({ email, name: { first: 'Some', last: 'One' }, ...extra });

  beforeAll(async () => {
    ARGON2ID = await argon2.hash('old-password-1', { type: argon2.argon2id, memoryCost: 4096, timeCost: 2 });
  });

  afterAll(async () => {
    for (const db of targets) {
      await dropTestDatabase(db.connection, db.dbName);
      await db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  describe('invites the new active rows, one message each, no password', () => {
    let db: TargetDatabase;
    let admin: Inviter;
    let path: string;

    beforeAll(async () => {
      db = await open();
      const created = await addUser(db, 'admin@acme.example', { roles: ['member', 'admin'] });
      admin = { _id: created._id as mongo.ObjectId, email: 'admin@acme.example' };
      await addUser(db, 'existing@acme.example');
      path = file('invite.csv', [
        'inv1@acme.example,Ines,One,,,,,,,,,', // 1
        `inv2@acme.example,Ivo,Two,,,,,,,,,"${ARGON2ID}"`, // 2: its hash is not stored
        'sus@acme.example,Sue,Pended,,,,,,,,suspended,', // 3: imported as given, not invited
        'existing@acme.example,Existing,Again,,,,,,,,,', // 4: already there: skipped, no message
        'INV1@acme.example,Ines,Again,,,,,,,,,', // 5: duplicate of row 1
        'not-an-email,Bad,Email,,,,,,,,,', // 6
        'inv3@acme.example,Ian,Three,,,,,,inv1@acme.example,member|admin,active,', // 7: invited admin, manager in the file
      ]);
    });

    it('counts invited users and queued messages beside the usual outcomes', async () => {
      const { result, report } = await run(db, path, admin);
      expect(result).toMatchObject({ rows: 7, inserted: 4, skippedExisting: 1, rejected: 2, invited: 3, messagesQueued: 3 });
      expect(result.passwords).toEqual({ argon2id: 0, argon2i: 0, bcrypt: 0 });
      expect(result.withoutPassword).toBe(1); // sus@: not invited, no hash
      expect(report.filter((e) => e.status === 'warning')).toEqual([
        { status: 'warning', row: 2, line: 3, email: 'inv2@acme.example', reasons: [expect.stringMatching(/^password_hash: not stored/)] },
      ]);
    });

    it('stores the invited users as invited, by the admin, at one instant, valid for the schema; the others as before', async () => {
      const byEmail = new Map((await users(db).find({}).toArray()).map((u) => [u['email'], u]));
      const invited = ['inv1@acme.example', 'inv2@acme.example', 'inv3@acme.example'].map((email) => byEmail.get(email) as mongo.Document);
      for (const user of invited) {
        expect(user).toMatchObject({ status: 'invited', invitedAt: expect.any(Date), invitedBy: admin._id });
        expect(user['emailVerifiedAt']).toBeUndefined();
      }
      expect(invited[2]).toMatchObject({ roles: ['member', 'admin'], managerId: invited[0]['_id'] });
      expect(byEmail.get('sus@acme.example')).toMatchObject({ status: 'suspended' });
      expect(byEmail.get('sus@acme.example')?.['invitedAt']).toBeUndefined();
      const User = db.connection.model(ModelName.User);
      for (const raw of byEmail.values()) await expect(User.hydrate(raw).validate()).resolves.toBeUndefined();
    });

    it('writes no credential for an invited user, not even the hash its row brought', async () => {
      const invitedIds = (await users(db).find({ status: 'invited' }).toArray()).map((u) => u['_id']);
      expect(invitedIds).toHaveLength(3);
      expect(await methods(db).countDocuments({ userId: { $in: invitedIds } })).toBe(0);
      expect(await methods(db).countDocuments({ secret: ARGON2ID })).toBe(0);
    });

    it('queues exactly one pending Invitation message per invited user, bound to its invitedAt, as the schema stores it', async () => {
      const invited = await users(db).find({ status: 'invited' }).toArray();
      const messages = await outbox(db).find({}).toArray();
      expect(messages).toHaveLength(3);
      for (const user of invited) {
        const mine = messages.filter((m) => String(m['userId']) === String(user['_id']));
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({
          template: 'invitation',
          to: user['email'],
          status: 'pending',
          attempts: 0,
          params: { invitedAt: user['invitedAt'], requestedBy: admin._id },
        });
        // Held while the users were written, then due (not later than now: the sender may take it).
        const due = (mine[0]['nextAttemptAt'] as Date).getTime();
        expect(due).toBeGreaterThanOrEqual((user['invitedAt'] as Date).getTime());
        expect(due).toBeLessThanOrEqual(Date.now());
      }
      const Outbox = db.connection.model(ModelName.OutboxMessage);
      for (const raw of messages) await expect(Outbox.hydrate(raw).validate()).resolves.toBeUndefined();
    });

    it('records UserInvited (by the admin) and MailRequested for each invited user', async () => {
      const invited = await users(db).find({ status: 'invited' }).toArray();
      const recorded = await events(db).find({}).toArray();
      expect(recorded).toHaveLength(6);
      for (const user of invited) {
        const mine = recorded.filter((e) => String(e['userId']) === String(user['_id']));
        expect(mine.map((e) => e['kind']).sort()).toEqual(['MailRequested', 'UserInvited']);
        expect(mine.find((e) => e['kind'] === 'UserInvited')).toMatchObject({ by: admin._id, cohortWeek: user['signupWeek'] });
        expect(mine.find((e) => e['kind'] === 'MailRequested')).toMatchObject({ template: 'invitation' });
        for (const event of mine) expect(event['at']).toEqual(user['invitedAt']);
      }
    });

    it('again: every row skipped as before, no new message', async () => {
      const { result } = await run(db, path, admin);
      expect(result).toMatchObject({ inserted: 0, skippedExisting: 5, rejected: 2, invited: 0, messagesQueued: 0 });
      expect(await outbox(db).countDocuments()).toBe(3);
    });
  });

  it('without --invite, the same rows are imported as today: active, with their password, no message', async () => {
    const db = await open();
    const path = file('no-invite.csv', ['plain@acme.example,Pla,In,,,,,,,,,', `hashed@acme.example,Has,Hed,,,,,,,,,"${ARGON2ID}"`]);
    const { result } = await run(db, path);
    expect(result).toMatchObject({ inserted: 2, invited: 0, messagesQueued: 0, withoutPassword: 1, passwords: { argon2id: 1 } });
    expect(await users(db).countDocuments({ status: 'active' })).toBe(2);
    expect(await methods(db).countDocuments({ secret: ARGON2ID })).toBe(1);
    expect(await outbox(db).countDocuments()).toBe(0);
  });

  it('a message for a user that did not make it stays for nobody (auth-api voids it); invited counts only inserted users', async () => {
    // A unique index on title makes the second "Twin" row fail its insert after its message was queued.
    const db = await open();
    const admin = await addUser(db, 'admin@acme.example', { roles: ['member', 'admin'] });
    await users(db).createIndex({ title: 1 }, { unique: true }); // the admin is the only user without a title
    const path = file('twin.csv', ['twin1@acme.example,Twin,One,,Twin,,,,,,,', 'twin2@acme.example,Twin,Two,,Twin,,,,,,,']);
    const { result } = await run(db, path, { _id: admin._id as mongo.ObjectId, email: 'admin@acme.example' });
    expect(result).toMatchObject({ inserted: 1, invited: 1, messagesQueued: 2 });
    const messages = await outbox(db).find({}).toArray();
    const userIds = new Set((await users(db).find({}).toArray()).map((u) => String(u['_id'])));
    expect(messages.filter((m) => userIds.has(String(m['userId'])))).toHaveLength(1);
    expect(messages.find((m) => !userIds.has(String(m['userId'])))).toMatchObject({ to: 'twin2@acme.example', status: 'pending' });
  });

  it('messages first: when a batch cannot queue its messages, none of its users is written', async () => {
    const db = await open();
    const admin = await addUser(db, 'admin@acme.example', { roles: ['member', 'admin'] });
    // Refuse the second batch's first message: a unique index on `to` and a message already there.
    await outbox(db).createIndex({ to: 1 }, { unique: true });
    await outbox(db).insertOne({ template: 'invitation', to: 'c@acme.example', status: 'sent', attempts: 1, nextAttemptAt: new Date() });
    const path = file('crash.csv', ['a@acme.example,Al,A,,,,,,,,,', 'b@acme.example,Bo,B,,,,,,,,,', 'c@acme.example,Cy,C,,,,,,,,,']);
    await expect(run(db, path, { _id: admin._id as mongo.ObjectId, email: 'admin@acme.example' })).rejects.toThrow(/duplicate key/i);
    const stored = (await users(db).find({}).toArray()).map((u) => u['email']).sort();
    expect(stored).toEqual(['a@acme.example', 'admin@acme.example', 'b@acme.example']);
    // Every invited user has its message: nobody is invited without one.
    for (const user of await users(db).find({ status: 'invited' }).toArray()) {
      expect(await outbox(db).countDocuments({ userId: user['_id'], template: 'invitation' })).toBe(1);
    }
  });

  describe('who invites', () => {
    let db: TargetDatabase;

    beforeAll(async () => {
      db = await open();
    });

    it('no active admin: a usage error that names --invited-by', async () => {
      await addUser(db, 'gone@acme.example', { roles: ['member', 'admin'], status: 'suspended', createdAt: new Date('2020-01-01') });
      await expect(resolveInviter(db.connection)).rejects.toThrow(UsageError);
      await expect(resolveInviter(db.connection)).rejects.toThrow(/--invited-by/);
    });

    it('by default the earliest active admin; --invited-by must name an active admin', async () => {
      await addUser(db, 'member@acme.example', { createdAt: new Date('2020-01-02') });
      await addUser(db, 'second@acme.example', { roles: ['member', 'admin'], createdAt: new Date('2021-01-01') });
      const first = await addUser(db, 'first@acme.example', { roles: ['member', 'admin'], createdAt: new Date('2020-06-01') });
      expect(await resolveInviter(db.connection)).toEqual({ _id: first._id, email: 'first@acme.example' });
      expect((await resolveInviter(db.connection, ' Second@ACME.example ')).email).toBe('second@acme.example');
      await expect(resolveInviter(db.connection, 'member@acme.example')).rejects.toThrow('member@acme.example is not an active admin');
      await expect(resolveInviter(db.connection, 'gone@acme.example')).rejects.toThrow('is not an active admin');
      await expect(resolveInviter(db.connection, 'nobody@acme.example')).rejects.toThrow('no user nobody@acme.example');
    });
  });

  it('the CLI: --invite with the progress bar and a summary line naming the admin; --invited-by alone is a usage error', async () => {
    const { uri, dbName } = testDatabase();
    const db = await openTargetDatabase({ uri, dbName, appName: 'import-invite-test' });
    targets.push(db);
    await addUser(db, 'boss@acme.example', { roles: ['member', 'admin'] });
    const path = file('cli.csv', ['x@acme.example,Xa,X,,,,,,,,,', 'y@acme.example,Ya,Y,,,,,,,,,', 'boss@acme.example,Bo,Ss,,,,,,,,,']);
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const cli = (argv: string[]) => runImportCli({ argv, env: {}, out: out as unknown as NodeJS.WriteStream });
    expect(await cli([path, '--uri', uri, '--db', dbName, '--invite'])).toBe(0);
    expect(text).toContain('inviting as boss@acme.example');
    expect(text).toMatch(/^rows +100% /m); // the import's progress bar, as without --invite
    expect(text).toMatch(/^ {2}invited +2 by boss@acme\.example, 2 invitation messages queued — auth-api sends them$/m);
    expect(text).toMatch(/already there +1 \(skipped\)/);
    await expect(cli([path, '--uri', uri, '--db', dbName, '--invited-by', 'boss@acme.example'])).rejects.toThrow(UsageError);
    await expect(cli([path, '--uri', uri, '--db', dbName, '--invite', '--invited-by', 'x@acme.example'])).rejects.toThrow(
      'x@acme.example is not an active admin',
    );
  });
});
