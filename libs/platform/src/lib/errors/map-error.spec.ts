import { ConflictException, HttpException, HttpStatus, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import mongoose from 'mongoose';
import { refuseDeepJson } from '../http/json-depth';
import { PlatformErrorCode, statusErrorCode } from './error-codes';
import { mapError } from './map-error';

function errorNamed(name: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error('boom');
  error.name = name;
  return Object.assign(error, extra);
}

describe('mapError', () => {
  it('duplicate key → 409 naming the key, not the value', () => {
    const m = mapError(errorNamed('MongoServerError', { code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@b.c' } }));
    expect(m.status).toBe(409);
    expect(m.body.message).toBe('A record with this email already exists');
    expect(JSON.stringify(m.body)).not.toContain('a@b.c');
  });

  it('validation and cast errors → 400', () => {
    const validation = new mongoose.Error.ValidationError();
    validation.addError('email', new mongoose.Error.ValidatorError({ message: 'email is invalid', path: 'email' }));
    expect(mapError(validation)).toMatchObject({ status: 400, body: { message: ['email is invalid'] } });
    expect(mapError(new mongoose.Error.CastError('ObjectId', 'nope', '_id')).status).toBe(400);
  });

  it('version conflict → 409', () => {
    expect(mapError(new mongoose.Error.VersionError({ _doc: { _id: 'x' } } as never, 1, [])).status).toBe(409);
  });

  it.each(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNotConnectedError', 'MongoPoolClearedError'])('%s → 503', (name) =>
    expect(mapError(errorNamed(name)).status).toBe(503),
  );

  it('FerretDB reporting its PostgreSQL unreachable → 503 database_unavailable, not 500', () => {
    const refused = errorNamed('MongoServerError', { code: 1 });
    refused.message =
      'failed to connect to `user=directory database=postgres`: /tmp/s/.s.PGSQL.5432 (/tmp/s): dial error: dial unix /tmp/s/.s.PGSQL.5432: connect: connection refused';
    expect(mapError(refused)).toMatchObject({ status: 503, body: { code: 'database_unavailable' }, unexpected: false });
    const starting = Object.assign(errorNamed('MongoServerError', { code: 1 }), {
      message: 'FATAL: the database system is starting up (SQLSTATE 57P03)',
    });
    expect(mapError(starting).status).toBe(503);
    // Any other internal error of the server stays an unexpected 500.
    expect(mapError(Object.assign(errorNamed('MongoServerError', { code: 1 }), { message: 'something else' })).status).toBe(500);
  });

  it('exceeded time budget → 503 with a clear message', () => {
    const m = mapError(errorNamed('MongoServerError', { code: 50 }));
    expect(m.status).toBe(503);
    expect(m.body.code).toBe('time_budget_exceeded');
  });

  it('malformed JSON from body-parser → 400, oversized body → 413', () => {
    expect(mapError(Object.assign(new SyntaxError('Unexpected token'), { status: 400, type: 'entity.parse.failed' }))).toMatchObject({
      status: 400,
      body: { message: 'Malformed JSON body' },
    });
    expect(mapError(errorNamed('PayloadTooLargeError', { status: 413, type: 'entity.too.large' })).status).toBe(413);
  });

  it('HTTP exceptions keep their status and message', () => {
    expect(mapError(new NotFoundException('User not found'))).toMatchObject({ status: 404, body: { message: 'User not found' } });
    expect(mapError(new ConflictException({ message: 'taken', code: 'email_taken' }))).toMatchObject({
      status: 409,
      body: { code: 'email_taken' },
    });
  });

  it('anything else → 500 with no detail, flagged for logging', () => {
    const m = mapError(new TypeError('cannot read x of undefined at /srv/app.js:1'));
    expect(m).toMatchObject({ status: 500, unexpected: true, body: { message: 'Internal server error' } });
    expect(JSON.stringify(m.body)).not.toContain('/srv/app.js');
  });

  describe('every body carries a code', () => {
    const validation = new mongoose.Error.ValidationError();
    validation.addError('email', new mongoose.Error.ValidatorError({ message: 'email is invalid', path: 'email' }));
    const thrown = (fn: () => void): unknown => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      throw new Error('did not throw');
    };
    const cases: Array<[string, unknown, string]> = [
      ['mongoose validation', validation, 'validation_failed'],
      ['cast', new mongoose.Error.CastError('ObjectId', 'nope', '_id'), 'invalid_value'],
      ['strict mode', new mongoose.Error.StrictModeError('x'), 'unknown_field'],
      ['document not found', new mongoose.Error.DocumentNotFoundError('no document'), 'not_found'],
      ['version', new mongoose.Error.VersionError({ _doc: { _id: 'x' } } as never, 1, []), 'version_conflict'],
      ['duplicate key', errorNamed('MongoServerError', { code: 11000, keyPattern: { email: 1 } }), 'duplicate'],
      ['time budget', errorNamed('MongoServerError', { code: 50 }), 'time_budget_exceeded'],
      ['no server', errorNamed('MongoServerSelectionError'), 'database_unavailable'],
      ['malformed JSON', Object.assign(new SyntaxError('x'), { status: 400, type: 'entity.parse.failed' }), 'malformed_json'],
      ['JSON too deep', thrown(() => refuseDeepJson(undefined, undefined, Buffer.from('['.repeat(100)))), 'json_too_deep'],
      ['body too large (body-parser)', errorNamed('PayloadTooLargeError', { status: 413, type: 'entity.too.large' }), 'payload_too_large'],
      [
        'unsupported charset (body-parser)',
        errorNamed('UnsupportedMediaTypeError', { status: 415, type: 'charset.unsupported' }),
        'unsupported_media_type',
      ],
      // Nest's router answers an unknown route with a bare NotFoundException.
      ['unknown route', new NotFoundException('Cannot GET /nope'), 'not_found'],
      ['Nest exception thrown without a code', new PayloadTooLargeException(), 'payload_too_large'],
      ['throttler', new ThrottlerException(), 'too_many_requests'],
      [
        'Terminus readiness',
        new HttpException({ status: 'error', info: {}, error: { db: { status: 'down' } }, details: {} }, 503),
        'service_unavailable',
      ],
      ['a status Nest has no name for', new HttpException('nope', 499), 'http_499'],
      ['the thrower keeps its code', new ConflictException({ message: 'taken', code: 'email_taken' }), 'email_taken'],
      ['unexpected', new TypeError('x'), 'internal_server_error'],
      ['not even an Error', 'a string', 'internal_server_error'],
    ];

    it.each(cases)('%s', (_name, error, code) => {
      const { status, body } = mapError(error);
      expect(body.code).toBe(code);
      expect(body.statusCode).toBe(status);
    });
  });

  it('the status-named codes in PlatformErrorCode follow statusErrorCode', () => {
    const named: Array<[string, HttpStatus]> = [
      [PlatformErrorCode.BadRequest, HttpStatus.BAD_REQUEST],
      [PlatformErrorCode.Unauthorized, HttpStatus.UNAUTHORIZED],
      [PlatformErrorCode.Forbidden, HttpStatus.FORBIDDEN],
      [PlatformErrorCode.NotFound, HttpStatus.NOT_FOUND],
      [PlatformErrorCode.NotAcceptable, HttpStatus.NOT_ACCEPTABLE],
      [PlatformErrorCode.PayloadTooLarge, HttpStatus.PAYLOAD_TOO_LARGE],
      [PlatformErrorCode.UnsupportedMediaType, HttpStatus.UNSUPPORTED_MEDIA_TYPE],
      [PlatformErrorCode.TooManyRequests, HttpStatus.TOO_MANY_REQUESTS],
      [PlatformErrorCode.InternalServerError, HttpStatus.INTERNAL_SERVER_ERROR],
      [PlatformErrorCode.ServiceUnavailable, HttpStatus.SERVICE_UNAVAILABLE],
    ];
    for (const [code, status] of named) expect(statusErrorCode(status)).toBe(code);
    expect(new Set(Object.values(PlatformErrorCode)).size).toBe(Object.keys(PlatformErrorCode).length);
  });
});
