import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { ConnectionRole } from './connection-roles';

// Token helpers from @nestjs/mongoose, so `@InjectModel(ModelName.User, ConnectionRole.Fast)` and
// `@InjectConnection(ConnectionRole.Fast)` work against connections (and forFeature models) of this lib.
export const connectionToken = (role: ConnectionRole): string => getConnectionToken(role);
export const modelToken = (modelName: string, role: ConnectionRole): string => getModelToken(modelName, role);
export const connectionOptionsToken = (role: ConnectionRole): string => `directory:${role}:connection-options`;
export const connectionHealthToken = (role: ConnectionRole): string => `directory:${role}:connection-health`;
