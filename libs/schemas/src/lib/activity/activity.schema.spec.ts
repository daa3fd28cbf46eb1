import { Types, type Connection, type Model } from 'mongoose';
import { compileRegistry } from '../../../test/compile-registry';
import { ModelName } from '../registry';
import { UnsupportedUpdateError } from '../shared/update-document';
import { activityKeys, type ActivityFields } from './activity.schema';

describe('Activity schema (no database)', () => {
  let connection: Connection;
  let Activity: Model<ActivityFields>;

  beforeAll(() => {
    connection = compileRegistry();
    Activity = connection.model<ActivityFields>(ModelName.Activity);
  });

  afterAll(() => connection.close());

  it('derives week and month from the day', async () => {
    expect(activityKeys('2027-01-03')).toEqual({
      week: '2026-W53',
      month: '2027-01',
    });
    const activity = new Activity({
      userId: new Types.ObjectId(),
      day: '2021-01-03',
      week: 'forged',
      cohortWeek: '2020-W40',
    });
    await activity.validate();
    expect({ week: activity.week, month: activity.month }).toEqual({
      week: '2020-W53',
      month: '2021-01',
    });
  });

  it('refuses malformed day and cohort keys', async () => {
    const activity = new Activity({
      userId: new Types.ObjectId(),
      day: '2021-1-3',
      cohortWeek: '2020-40',
    });
    await expect(activity.validate()).rejects.toMatchObject({
      errors: { day: expect.anything(), cohortWeek: expect.anything() },
    });
    const impossible = new Activity({
      userId: new Types.ObjectId(),
      day: '2023-02-29',
      cohortWeek: '2023-W01',
    });
    await expect(impossible.validate()).rejects.toMatchObject({
      errors: { day: expect.anything() },
    });
  });

  it('computes week/month on insert for the login upsert, from the filter day', async () => {
    const userId = new Types.ObjectId();
    const query = Activity.updateOne(
      { userId, day: '2024-12-30' },
      { $setOnInsert: { cohortWeek: '2024-W50', week: 'forged' } },
      { upsert: true },
    );
    await expect(query.exec()).rejects.toThrow(/initial connection/);
    expect((query.getUpdate() as { $setOnInsert: Record<string, unknown> }).$setOnInsert).toMatchObject({
      cohortWeek: '2024-W50',
      week: '2025-W01',
      month: '2024-12',
    });
  });

  it('refuses an upsert whose filter does not name the day', async () => {
    const query = Activity.updateOne({ userId: new Types.ObjectId() }, { $setOnInsert: { cohortWeek: '2024-W50' } }, { upsert: true });
    await expect(query.exec()).rejects.toThrow(UnsupportedUpdateError);
  });
});
