import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { CodedValidationPipe } from '../validation/coded-validation-pipe';
import { keepJsonParseFailure, refuseDeepJson } from './json-depth';

export interface HttpOptions {
  title: string;
  description: string;
  version?: string;
  /** JSON body size limit; larger bodies get 413 before any parsing work. */
  bodyLimit?: string;
}

/**
 * Everything an app needs on top of its modules, shared by `main.ts` and e2e tests so the
 * tests exercise exactly what production runs.
 */
export function configureApp(app: INestApplication, options: HttpOptions): INestApplication {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  // Only `a=1&b=2`, never `a[$gt]=`: query strings stay flat strings (no qs object parsing).
  express.set('query parser', 'simple');
  // Depth is checked on the raw bytes: validation recurses per level and would overflow the stack.
  express.useBodyParser('json', { limit: options.bodyLimit ?? '100kb', verify: refuseDeepJson });
  express.use(keepJsonParseFailure);
  app.useGlobalPipes(
    new CodedValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion(options.version ?? '1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
