import { HttpException, ValidationPipe, type ValidationError } from '@nestjs/common';
import { PlatformErrorCode } from '../errors/error-codes';

/**
 * Nest's ValidationPipe with `code: validation_failed` on its 400. Nest's own factory still
 * builds the message list (nested properties, length budget), so only the code is added.
 */
export class CodedValidationPipe extends ValidationPipe {
  override createExceptionFactory(): (validationErrors?: ValidationError[]) => unknown {
    const nest = super.createExceptionFactory();
    return (validationErrors?: ValidationError[]) => {
      const exception = nest(validationErrors);
      if (!(exception instanceof HttpException)) return exception;
      const response = exception.getResponse();
      const body = typeof response === 'string' ? { message: response } : response;
      return new HttpException({ ...body, code: PlatformErrorCode.ValidationFailed }, exception.getStatus(), { cause: exception });
    };
  }
}
