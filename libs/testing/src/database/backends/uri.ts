import type { Backend } from './backend';

/** A server someone already runs (CI service, docker-compose, a shared FerretDB): never stopped by us. */
export const uriBackend: Backend = {
  name: 'uri',
  howToEnable: 'set MONGODB_URI=mongodb://host:port/ (a running MongoDB 7/8 replica set, or FerretDB)',
  async check(ctx) {
    return ctx.env['MONGODB_URI'] ? true : { unavailable: 'MONGODB_URI is not set' };
  },
  async start(ctx) {
    return { uri: ctx.env['MONGODB_URI'] as string, stop: async () => undefined };
  },
};
