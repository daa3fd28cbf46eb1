/**
 * The gateway alone, as its own process: the console's browser tests (e2e/admin-console) run it
 * in front of the built services exactly as `npm start` does in its own process.
 *
 *   GATEWAY_AUTH_URL=… GATEWAY_USERS_URL=… GATEWAY_ANALYTICS_URL=… [GATEWAY_PORT=0] [GATEWAY_CONSOLE_DIR=dist/apps/admin-console] \
 *     node --import tsx tools/gateway-main.ts
 *
 * Prints `gateway listening on <port>` once it accepts connections; SIGTERM/SIGINT close it.
 */
import { resolve } from 'node:path';
import { startGateway } from './gateway';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required (the service's URL, e.g. http://127.0.0.1:3001)`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const gateway = await startGateway(
    {
      auth: { name: 'auth-api', url: required('GATEWAY_AUTH_URL') },
      users: { name: 'users-api', url: required('GATEWAY_USERS_URL') },
      analytics: { name: 'admin-analytics', url: required('GATEWAY_ANALYTICS_URL') },
    },
    Number(process.env['GATEWAY_PORT'] ?? 0),
    '127.0.0.1',
    { consoleDir: resolve(process.env['GATEWAY_CONSOLE_DIR'] ?? resolve(__dirname, '..', 'dist', 'apps', 'admin-console')) },
  );
  console.log(`gateway listening on ${gateway.port}`);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void gateway.close().then(() => process.exit(0)));
}

main().catch((error: Error) => {
  console.error(`gateway: ${error.message}`);
  process.exit(1);
});
