import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { Types } from 'mongoose';
import { UsersErrorCode } from './errors';

const OBJECT_ID_HEX = /^[0-9a-fA-F]{24}$/;

export function isObjectIdHex(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID_HEX.test(value);
}

/**
 * A path id that is not 24 hex digits is a 400 before any query runs. The parameter stays
 * typed `string` (the global ValidationPipe would otherwise try to validate an ObjectId
 * class); `toObjectId` converts after this check.
 */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isObjectIdHex(value))
      throw new BadRequestException({ message: 'id must be a 24-character hex ObjectId', code: UsersErrorCode.InvalidId });
    return value.toLowerCase();
  }
}

export function toObjectId(hex: string): Types.ObjectId {
  return new Types.ObjectId(hex);
}
