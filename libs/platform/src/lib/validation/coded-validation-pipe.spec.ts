import { BadRequestException, HttpException, ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { IsIn, IsInt } from 'class-validator';
import { mapError } from '../errors/map-error';
import { CodedValidationPipe } from './coded-validation-pipe';

class Query {
  @IsIn(['day', 'week'], { message: 'interval must be one of: day, week' })
  interval!: string;

  @IsInt()
  limit!: number;
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, transform: true, validationError: { target: false, value: false } };
const metadata: ArgumentMetadata = { type: 'query', metatype: Query };

async function rejection(pipe: ValidationPipe, value: unknown): Promise<HttpException> {
  try {
    await pipe.transform(value, metadata);
  } catch (error) {
    return error as HttpException;
  }
  throw new Error('validation passed');
}

describe('CodedValidationPipe', () => {
  const bad = { interval: 'year', limit: 'x', extra: 1 };

  it('answers 400 validation_failed with the same messages as Nest', async () => {
    const coded = await rejection(new CodedValidationPipe(OPTIONS), bad);
    const nest = await rejection(new ValidationPipe(OPTIONS), bad);
    expect(nest).toBeInstanceOf(BadRequestException);
    expect(coded.getStatus()).toBe(400);
    expect(coded.getResponse()).toEqual({ ...(nest.getResponse() as object), code: 'validation_failed' });
    expect(mapError(coded).body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: expect.arrayContaining(['interval must be one of: day, week', 'property extra should not exist']),
    });
  });

  it('keeps the code when detailed messages are disabled', async () => {
    const coded = await rejection(new CodedValidationPipe({ ...OPTIONS, disableErrorMessages: true }), bad);
    expect(mapError(coded).body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
  });

  it('lets valid input through', async () => {
    await expect(new CodedValidationPipe(OPTIONS).transform({ interval: 'day', limit: 3 }, metadata)).resolves.toEqual({
      interval: 'day',
      limit: 3,
    });
  });
});
