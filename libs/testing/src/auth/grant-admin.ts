import type { INestApplication } from '@nestjs/common';
import { ConnectionRole, connectionToken } from '@directory/connections';
import { ModelName, UserRole } from '@directory/schemas';
import type { Connection } from 'mongoose';

/**
 * Makes a user an admin directly in the database (there is no API for a first admin).
 * Pass a mongoose Connection, or a Nest app whose `role` connection to use. Access tokens
 * carry roles, so log in again afterwards for a token with `admin`.
 */
export async function grantAdmin(
  target: Connection | INestApplication,
  userId: string,
  role: ConnectionRole = ConnectionRole.Fast,
): Promise<void> {
  const connection = 'model' in target ? target : target.get<Connection>(connectionToken(role));
  const result = await connection.model(ModelName.User).updateOne({ _id: userId }, { $addToSet: { roles: UserRole.Admin } });
  if (result.matchedCount !== 1) throw new Error(`grantAdmin: no user ${userId}`);
}
