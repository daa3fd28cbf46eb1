import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { docsEnabled, type BaseConfig } from '../config/load-config';
import { SERVICE_CONFIG } from '../platform.module';
import { CodedValidationPipe } from '../validation/coded-validation-pipe';
import { keepJsonParseFailure, refuseDeepJson } from './json-depth';
import { answerMethodNotAllowed } from './method-not-allowed';
import { makeDocumentPrecise } from './openapi-precision';

export interface HttpOptions {
  title: string;
  description: string;
  version?: string;
  /** JSON body size limit; larger bodies get 413 before any parsing work. */
  bodyLimit?: string;
}

/** The validated configuration, when the app was built with PlatformModule (test probes may not be). */
function serviceConfig(app: INestApplication): Partial<BaseConfig> | undefined {
  try {
    return app.get<Partial<BaseConfig>>(SERVICE_CONFIG, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Everything an app needs on top of its modules, shared by `main.ts` and e2e tests so the
 * tests exercise exactly what production runs.
 */
export function configureApp(app: INestApplication, options: HttpOptions): INestApplication {
  const express = app as NestExpressApplication;
  express.useLogger(app.get(Logger));
  express.disable('x-powered-by');
  // TRUST_PROXY (base config): only the listed peers may set the client address (X-Forwarded-For);
  // unset, req.ip is the TCP peer and the header is ignored.
  const trustProxy = serviceConfig(app)?.TRUST_PROXY;
  if (trustProxy !== undefined) express.set('trust proxy', trustProxy);
  // Only `a=1&b=2`, never `a[$gt]=`: query strings stay flat strings (no qs object parsing).
  express.set('query parser', 'simple');
  // Depth is checked on the raw bytes: validation recurses per level and would overflow the stack.
  express.useBodyParser('json', { limit: options.bodyLimit ?? '100kb', verify: refuseDeepJson });
  express.use(keepJsonParseFailure);
  // A known path with an undeclared method: 405 + Allow instead of 404 (after the last route).
  answerMethodNotAllowed(app);
  app.useGlobalPipes(
    new CodedValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
    }),
  );
  // DOCS_ENABLED: served by default outside production only (ASVS 5.0 13.4.5); off, /docs is a 404.
  if (docsEnabled(serviceConfig(app) ?? {})) {
    const document = makeDocumentPrecise(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle(options.title)
          .setDescription(options.description)
          .setVersion(options.version ?? '1.0')
          .addBearerAuth()
          .build(),
      ),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  }
  return app;
}
