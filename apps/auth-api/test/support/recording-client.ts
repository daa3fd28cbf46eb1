import type { App } from 'supertest/types';
import request from 'supertest';
import type { Connection } from 'mongoose';

type Test = request.Test;

/**
 * supertest that keeps every response body, so a suite can prove at its end that no
 * response carried a password hash, the word "secret" or a stored refresh-token hash.
 */
export class RecordingClient {
  readonly bodies: string[] = [];

  constructor(private readonly server: App) {}

  get(path: string): Test {
    return this.track(request(this.server).get(path));
  }

  post(path: string): Test {
    return this.track(request(this.server).post(path));
  }

  delete(path: string): Test {
    return this.track(request(this.server).delete(path));
  }

  private track(test: Test): Test {
    return test.on('response', (response: { text?: string }) => {
      this.bodies.push(response.text ?? '');
    });
  }
}

/** Every stored refresh-token hash (current and rotated) and password hash of the database. */
async function storedSecrets(connection: Connection): Promise<string[]> {
  const sessions = await connection
    .collection('sessions')
    .find({}, { projection: { tokenHash: 1, rotatedHashes: 1 } })
    .toArray();
  const methods = await connection
    .collection('authenticationmethods')
    .find({}, { projection: { secret: 1 } })
    .toArray();
  return [
    ...sessions.flatMap((s) => [s['tokenHash'] as string, ...((s['rotatedHashes'] as string[] | undefined) ?? [])]),
    ...methods.map((m) => m['secret'] as string),
  ].filter(Boolean);
}

export async function expectNoSecretsIn(bodies: readonly string[], connection: Connection): Promise<void> {
  expect(bodies.length).toBeGreaterThan(0);
  const secrets = await storedSecrets(connection);
  expect(secrets.length).toBeGreaterThan(0);
  for (const body of bodies) {
    expect(body).not.toContain('$argon2');
    expect(body.toLowerCase()).not.toContain('secret');
    for (const secret of secrets) expect(body).not.toContain(secret);
  }
}
