import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { ConnectionRole } from './connection-roles';

// Token helpers from @nestjs/mongoose, so `@InjectModel(ModelName.User, 'fast')` and
// `@InjectConnection('fast')` work against connections this lib creates.
export const connectionToken = (role: ConnectionRole): string => getConnectionToken(role);
export const modelToken = (modelName: string, role: ConnectionRole): string => getModelToken(modelName, role);
export const connectionOptionsToken = (role: ConnectionRole): string => `directory:${role}:connection-options`;
export const connectionHealthToken = (role: ConnectionRole): string => `directory:${role}:connection-health`;
