import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { UsersErrorCode } from './errors';

/** Entity tag of a user document: its version, quoted as RFC 9110 wants (`"3"`). */
export function versionTag(version: number): string {
  return `"${version}"`;
}

/**
 * The version a client read, from `If-Match` (`"3"`, or a bare `3`). Missing → 428
 * Precondition Required (RFC 6585): a profile write without a version could silently undo
 * someone else's change. Anything else that is not one version → 400.
 */
export function requiredVersion(header: string | string[] | undefined): number {
  const version = optionalVersion(header);
  if (version === undefined) {
    throw new HttpException(
      {
        message: 'Send the version you read in If-Match (e.g. If-Match: "3"); GET /users/me returns it as `version` and ETag',
        code: UsersErrorCode.VersionRequired,
      },
      HttpStatus.PRECONDITION_REQUIRED,
    );
  }
  return version;
}

/** Like `requiredVersion`, but a missing header means "no check". */
export function optionalVersion(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  const match = /^\s*(?:"(\d{1,9})"|(\d{1,9}))\s*$/.exec(value);
  if (!match) {
    throw new BadRequestException({ message: 'If-Match must be one version, e.g. If-Match: "3"', code: UsersErrorCode.InvalidIfMatch });
  }
  return Number(match[1] ?? match[2]);
}
