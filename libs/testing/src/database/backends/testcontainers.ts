import type { Backend } from './backend';

/** Production runs MongoDB 8; DIRECTORY_MONGO_IMAGE=mongo:7 checks the older supported major. */
const DEFAULT_IMAGE = 'mongo:8';

export const testcontainersBackend: Backend = {
  name: 'testcontainers',
  howToEnable: 'start a Docker daemon (or set DOCKER_HOST); the first run pulls mongo:8',
  check: (ctx) => ctx.probes.docker(ctx.env),
  async start(ctx) {
    // Imported only now: testcontainers is heavy and pointless without a daemon.
    const { MongoDBContainer } = await import('@testcontainers/mongodb');
    const container = await new MongoDBContainer(ctx.env['DIRECTORY_MONGO_IMAGE'] || DEFAULT_IMAGE).start();
    // The container runs a one-member replica set that advertises its in-container host name;
    // directConnection skips discovery so the driver keeps using the mapped port.
    const uri = `${container.getConnectionString()}/?directConnection=true`;
    return {
      uri,
      stop: async () => {
        await container.stop();
      },
    };
  },
};
