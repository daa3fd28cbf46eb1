export * from './lib/authentication-method.schema';
export * from './lib/credentials.repository';
