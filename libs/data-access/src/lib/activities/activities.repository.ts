import { ACTIVITY_SCHEMA, dayKey, ModelName, type ActivityFields, type SchemaRegistration } from '@directory/schemas';
import { MongoErrorCode } from '@directory/connections';
import type { Connection, Model, Types } from 'mongoose';

/** The daily rollup analytics counts active users with: one document per user and day. */
export class ActivitiesRepository {
  static readonly schemas: readonly SchemaRegistration[] = [ACTIVITY_SCHEMA];
  private readonly activities: Model<ActivityFields>;

  constructor(connection: Connection) {
    this.activities = connection.model<ActivityFields>(ModelName.Activity);
  }

  /**
   * One indexed upsert on the unique (userId, day) key: the first sign-in of the day inserts,
   * later ones match and change nothing. Two first sign-ins racing may both try to insert; the
   * loser's duplicate-key error means the document exists, which is all we wanted.
   */
  async markActive(userId: Types.ObjectId, cohortWeek: string, at: Date): Promise<void> {
    try {
      await this.activities.updateOne({ userId, day: dayKey(at) }, { $setOnInsert: { cohortWeek } }, { upsert: true }).exec();
    } catch (error) {
      if ((error as { code?: unknown }).code !== MongoErrorCode.DuplicateKey) throw error;
    }
  }
}
