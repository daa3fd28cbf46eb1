import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerReachable } from './docker-probe';

describe('dockerReachable', () => {
  it('is unavailable when DOCKER_HOST names a socket nobody serves', async () => {
    expect(await dockerReachable({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toEqual({
      unavailable: 'no Docker daemon answered at unix:///nonexistent/docker.sock',
    });
  });

  it('is unavailable when a tcp DOCKER_HOST refuses', async () => {
    expect(await dockerReachable({ DOCKER_HOST: 'tcp://127.0.0.1:1' })).toHaveProperty('unavailable');
  });

  it('does not guess about schemes it cannot ping', async () => {
    expect(await dockerReachable({ DOCKER_HOST: 'ssh://me@host' })).toHaveProperty('unavailable');
  });

  it('is reachable when something answers GET /_ping on the socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docker-probe-'));
    const socket = join(dir, 'docker.sock');
    const server: Server = createServer((req, res) => {
      res.statusCode = req.url === '/_ping' ? 200 : 404;
      res.end('OK');
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await dockerReachable({ DOCKER_HOST: `unix://${socket}` })).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
