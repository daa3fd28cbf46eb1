import { Types, type Connection, type Model } from 'mongoose';
import { compileRegistry } from '../../../test/compile-registry';
import { ModelName } from '../registry';
import { EVENT_KINDS, EventKind } from './event.constants';
import { eventKeys } from './event.schema';
import type { EventBaseFields, LoginFailedFields } from './event.types';

describe('Event schema and discriminators (no database)', () => {
  let connection: Connection;
  let Event: Model<EventBaseFields>;

  beforeAll(() => {
    connection = compileRegistry();
    Event = connection.model<EventBaseFields>(ModelName.Event);
  });

  afterAll(() => connection.close());

  const subject = () => ({
    userId: new Types.ObjectId(),
    cohortWeek: '2026-W40',
  });

  it('has one discriminator per event kind, stored in `kind`', () => {
    expect(Object.keys(Event.discriminators ?? {}).sort()).toEqual([...EVENT_KINDS].sort());
    expect(Event.schema.get('discriminatorKey')).toBe('kind');
    for (const kind of EVENT_KINDS) expect(connection.model(kind).collection.name).toBe('events');
  });

  it('computes day/week/month from `at`, overwriting what the writer sent', async () => {
    const LoginSucceeded = connection.model(EventKind.LoginSucceeded);
    const event = new LoginSucceeded({
      ...subject(),
      at: new Date('2027-01-01T23:59:59Z'),
      day: '1999-01-01',
      week: 'x',
    });
    await event.validate();
    expect(event.get('kind')).toBe('LoginSucceeded');
    expect({
      day: event.get('day'),
      week: event.get('week'),
      month: event.get('month'),
    }).toEqual({
      day: '2027-01-01',
      week: '2026-W53',
      month: '2027-01',
    });
    expect(event.get('cohortWeek')).toBe('2026-W40');
  });

  it('defaults `at` to now', async () => {
    const event = new (connection.model(EventKind.UserRegistered))(subject());
    await event.validate();
    expect(event.get('day')).toBe(eventKeys(event.get('at')).day);
  });

  it('reports an uncastable `at` instead of bucketing it', async () => {
    const event = new (connection.model(EventKind.LoginSucceeded))({
      ...subject(),
      at: 'soon',
    });
    await expect(event.validate()).rejects.toMatchObject({
      errors: { at: expect.anything() },
    });
  });

  it('picks the discriminator from `kind` when created through the base model', async () => {
    const event = new Event({
      ...subject(),
      kind: EventKind.UserSearched,
      resultCount: 3,
    });
    await event.validate();
    expect((event.constructor as Model<unknown>).modelName).toBe('UserSearched');
    expect(event.get('resultCount')).toBe(3);
  });

  it('refuses a base event without a kind', async () => {
    await expect(new Event(subject()).validate()).rejects.toMatchObject({
      errors: { kind: expect.anything() },
    });
  });

  it('requires userId and cohortWeek on events about a user', async () => {
    const LoginFailed = connection.model(EventKind.LoginFailed);
    await expect(new LoginFailed({ reason: 'bad_password' }).validate()).rejects.toMatchObject({
      errors: { userId: expect.anything(), cohortWeek: expect.anything() },
    });
  });

  it('lets a login failure for an unknown email have no user, and no user only then', async () => {
    const LoginFailed = connection.model<LoginFailedFields>(EventKind.LoginFailed);
    const anonymous = new LoginFailed({
      reason: 'unknown_email',
      emailHash: 'a'.repeat(64),
    });
    await expect(anonymous.validate()).resolves.toBeUndefined();

    const withUser = new LoginFailed({ ...subject(), reason: 'unknown_email' });
    await expect(withUser.validate()).rejects.toMatchObject({
      errors: { userId: expect.anything() },
    });

    await expect(new LoginFailed({ ...subject(), reason: 'typo' }).validate()).rejects.toMatchObject({
      errors: { reason: expect.anything() },
    });
  });

  it('records names of changed profile fields, never values', async () => {
    const ProfileUpdated = connection.model(EventKind.ProfileUpdated);
    await expect(
      new ProfileUpdated({
        ...subject(),
        fields: ['displayName', 'name.first'],
      }).validate(),
    ).resolves.toBeUndefined();
    await expect(
      new ProfileUpdated({
        ...subject(),
        fields: ['displayName=Bob'],
      }).validate(),
    ).rejects.toThrow();
    await expect(new ProfileUpdated({ ...subject(), fields: [] }).validate()).rejects.toThrow();
  });

  it('validates role and status changes against the user enums', async () => {
    const RoleChanged = connection.model(EventKind.RoleChanged);
    const StatusChanged = connection.model(EventKind.StatusChanged);
    const by = new Types.ObjectId();
    await expect(
      new RoleChanged({
        ...subject(),
        from: ['member'],
        to: ['member', 'admin'],
        by,
      }).validate(),
    ).resolves.toBeUndefined();
    await expect(new RoleChanged({ ...subject(), from: [], to: ['root'], by }).validate()).rejects.toThrow();
    await expect(
      new StatusChanged({
        ...subject(),
        from: 'active',
        to: 'deleted',
        by,
      }).validate(),
    ).resolves.toBeUndefined();
    await expect(
      new StatusChanged({
        ...subject(),
        from: 'active',
        to: 'gone',
      }).validate(),
    ).rejects.toMatchObject({
      errors: { to: expect.anything(), by: expect.anything() },
    });
  });

  it('hides _id and exposes id in JSON', async () => {
    const event = new (connection.model(EventKind.LoginSucceeded))(subject());
    const json = event.toJSON() as unknown as Record<string, unknown>;
    expect(json).toHaveProperty('id');
    expect(json).not.toHaveProperty('_id');
    expect(typeof json['userId']).toBe('string');
  });

  it('gives plain objects of insertMany({ lean: true }) their buckets', async () => {
    const plain: Record<string, unknown> = {
      ...subject(),
      kind: EventKind.LoginSucceeded,
      at: new Date('2024-12-30T00:00:00Z'),
    };
    await expect(Event.insertMany([plain], { lean: true })).rejects.toThrow(); // no server; the pre hook ran first
    expect(plain).toMatchObject({
      day: '2024-12-30',
      week: '2025-W01',
      month: '2024-12',
    });
  });
});
