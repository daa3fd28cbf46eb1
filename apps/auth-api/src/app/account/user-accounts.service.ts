import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { accessTokenCutoff, TokenRevocation } from '@directory/auth';
import { ModelName, type UserFields, type UserModel } from '@directory/schemas';
import type { Types } from 'mongoose';
import type { EventSubject } from '../events/auth-events.service';
import type { TokenSubject } from '../tokens/access-tokens';
import type { RegisterDto } from './dto/register.dto';

/** What login needs of a user: one lookup on the unique email index, lean, five fields. */
export type LoginCandidate = TokenSubject & EventSubject & Pick<UserFields, 'status' | 'email'>;

const LOGIN_PROJECTION = { _id: 1, email: 1, status: 1, roles: 1, signupWeek: 1, tokensValidAfter: 1 } as const;

/** The User side of authentication: lookups on hot paths are lean with projections (PRINCIPLES.md #10). */
@Injectable()
export class UserAccounts {
  constructor(
    @InjectModel(ModelName.User, 'fast') private readonly users: UserModel,
    private readonly revocation: TokenRevocation,
  ) {}

  /** Creates the user through the schema (validation, derived keys); a taken email is a duplicate key → 409. */
  async create(input: Omit<RegisterDto, 'password'>): Promise<ReturnType<UserModel['hydrate']>> {
    return this.users.create({ ...input, name: { first: input.name.first, last: input.name.last } });
  }

  async remove(userId: Types.ObjectId): Promise<void> {
    await this.users.deleteOne({ _id: userId });
  }

  findForLogin(email: string): Promise<LoginCandidate | null> {
    return this.users.findOne({ email: email.trim().toLowerCase() }, LOGIN_PROJECTION).lean<LoginCandidate>().exec();
  }

  findById(userId: Types.ObjectId | string): Promise<LoginCandidate | null> {
    return this.users.findById(userId, LOGIN_PROJECTION).lean<LoginCandidate>().exec();
  }

  /** The user as the API shows it (schema toJSON: no internal keys). */
  async profile(userId: string): Promise<Record<string, unknown> | null> {
    const user = await this.users.findById(userId);
    return user ? (user.toJSON() as unknown as Record<string, unknown>) : null;
  }

  async markLoggedIn(userId: Types.ObjectId, at: Date): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $set: { lastLoginAt: at } });
  }

  /**
   * Every access token issued to the user so far stops working: on this instance at once,
   * on other services within their revocation cache time (libs/auth).
   */
  async revokeAccessTokens(userId: Types.ObjectId, now: Date): Promise<void> {
    const current = await this.users.findById(userId, { tokensValidAfter: 1 }).lean<Pick<UserFields, 'tokensValidAfter'>>();
    const cutoff = accessTokenCutoff(now, current?.tokensValidAfter);
    await this.users.updateOne({ _id: userId }, { $set: { tokensValidAfter: cutoff } });
    this.revocation.forget(userId.toHexString());
  }
}
