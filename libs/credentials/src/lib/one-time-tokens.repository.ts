import type { Connection, Model, Types } from 'mongoose';
import type { SchemaRegistration } from '@directory/schemas';
import {
  ONE_TIME_TOKEN_SCHEMA,
  OneTimeTokenModelName,
  TOKEN_REDEMPTION_SCHEMA,
  type OneTimeTokenFields,
  type TokenBinding,
  type TokenRedemptionFields,
} from './one-time-token.schema';

const DUPLICATE_KEY = 11000;

/** `userId` and `binding` may be left out only for passkey-sign-in (the schema refuses it for any other purpose). */
export type NewOneTimeToken = Omit<OneTimeTokenFields, '_id' | 'createdAt' | 'userId' | 'binding'> & {
  userId?: Types.ObjectId;
  binding?: TokenBinding;
  createdAt?: Date;
};
export type StoredOneTimeToken = OneTimeTokenFields;

/**
 * One-time tokens (`onetimetokens`, hashes only) and their redemptions (`tokenredemptions`).
 * A redemption is an insert whose _id is the token's: the unique _id, not a conditional update
 * (FerretDB v1 does not apply those atomically under concurrency), makes "used once" hold on
 * every backend.
 */
export class OneTimeTokensRepository {
  static readonly schemas: readonly SchemaRegistration[] = [ONE_TIME_TOKEN_SCHEMA, TOKEN_REDEMPTION_SCHEMA];
  private readonly tokens: Model<OneTimeTokenFields>;
  private readonly redemptions: Model<TokenRedemptionFields>;

  constructor(connection: Connection) {
    this.tokens = connection.model<OneTimeTokenFields>(OneTimeTokenModelName.OneTimeToken);
    this.redemptions = connection.model<TokenRedemptionFields>(OneTimeTokenModelName.TokenRedemption);
  }

  async insert(token: NewOneTimeToken): Promise<Types.ObjectId> {
    const created = await this.tokens.create(token);
    return created._id;
  }

  findByHash(hash: string): Promise<StoredOneTimeToken | null> {
    return this.tokens.findOne({ hash }).lean<StoredOneTimeToken>().exec();
  }

  async isRedeemed(tokenId: Types.ObjectId): Promise<boolean> {
    return (await this.redemptions.exists({ _id: tokenId })) !== null;
  }

  /** True for the one caller whose insert wins; false for every other (the token was used). */
  async redeem(token: Pick<StoredOneTimeToken, '_id' | 'expiresAt'>, at: Date): Promise<boolean> {
    try {
      await this.redemptions.create({ _id: token._id, at, expiresAt: token.expiresAt });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}
