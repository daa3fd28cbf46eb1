export * from './lib/authentication-method.schema';
export * from './lib/credentials.repository';
export * from './lib/login-failure.schema';
export * from './lib/login-failures.repository';
export * from './lib/one-time-token.schema';
export * from './lib/one-time-tokens.repository';
