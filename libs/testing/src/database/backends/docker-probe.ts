import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Unavailable } from './backend';

const PING_TIMEOUT_MS = 1500;

/**
 * Asks the Docker daemon `GET /_ping` ourselves rather than through testcontainers: that
 * library is large and, when no daemon exists, spends seconds trying strategies. A socket
 * file alone proves nothing (the CLI can be installed without a running engine).
 */
export async function dockerReachable(env: NodeJS.ProcessEnv): Promise<true | Unavailable> {
  const target = dockerTarget(env);
  if ('unavailable' in target) return target;
  const ok = await ping(target.options, target.secure);
  return ok ? true : { unavailable: `no Docker daemon answered at ${target.label}` };
}

type Target = { options: http.RequestOptions; secure: boolean; label: string } | Unavailable;

function dockerTarget(env: NodeJS.ProcessEnv): Target {
  const host = env['DOCKER_HOST'];
  if (!host) {
    // The same places testcontainers looks when DOCKER_HOST is unset (rootful, rootless, Desktop).
    const candidates = [
      '/var/run/docker.sock',
      env['XDG_RUNTIME_DIR'] && join(env['XDG_RUNTIME_DIR'], 'docker.sock'),
      join(homedir(), '.docker', 'run', 'docker.sock'),
    ].filter((p): p is string => Boolean(p));
    const socketPath = candidates.find((p) => existsSync(p));
    if (!socketPath) return { unavailable: 'DOCKER_HOST is unset and no Docker socket exists (/var/run/docker.sock)' };
    return { options: { socketPath }, secure: false, label: socketPath };
  }
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    return { options: { socketPath }, secure: false, label: host };
  }
  if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const secure = Boolean(env['DOCKER_TLS_VERIFY']);
    const options: https.RequestOptions = { host: url.hostname, port: url.port || (secure ? 2376 : 2375) };
    if (secure) {
      const certs = env['DOCKER_CERT_PATH'] || join(homedir(), '.docker');
      options.ca = readFileSync(join(certs, 'ca.pem'));
      options.cert = readFileSync(join(certs, 'cert.pem'));
      options.key = readFileSync(join(certs, 'key.pem'));
    }
    return { options, secure, label: host };
  }
  return { unavailable: `DOCKER_HOST=${host} uses a scheme this probe cannot ping quickly; set MONGODB_URI instead` };
}

function ping(options: http.RequestOptions, secure: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const request = (secure ? https : http).request({ ...options, path: '/_ping', method: 'GET', timeout: PING_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}
