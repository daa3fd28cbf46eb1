import express from 'express';
import { allowedMethods, type ExpressLike } from './method-not-allowed';

/** Issue 12 item 6 (ASVS 5.0 4.1.4, RFC 9110 §15.5.6): which methods a known path answers. */
describe('allowedMethods', () => {
  const server = express();
  const app = server as unknown as ExpressLike;
  server.get('/users/me', () => undefined);
  server.patch('/users/me', () => undefined);
  server.get('/users/:id', () => undefined);
  server.delete('/users/:id', () => undefined);
  // How Nest mounts middleware bound to an exact path: a route on every method. Not a handler.
  server.all('/users/me', (_req, _res, next) => next());

  it('lists the methods of every route matching the path, HEAD wherever GET is', () => {
    expect(allowedMethods(app, '/users/me')).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH']);
    expect(allowedMethods(app, '/users/665f1c2e9b1d8a0012345678')).toEqual(['DELETE', 'GET', 'HEAD']);
  });

  it('nothing for a path no route serves (it stays a 404)', () => {
    expect(allowedMethods(app, '/nothing/here')).toEqual([]);
  });
});
