import { HttpException, HttpStatus, type INestApplication } from '@nestjs/common';
import { METHODS } from 'node:http';
import type { AbstractHttpAdapter } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';

/** The parts of router 2's Layer and Route (Express 5) this reads; `match` returns its result without touching the layer in router 2.3 (Express 5.2). */
interface RouteLayer {
  route?: { _handlesMethod(method: string): boolean; _methods(): string[] };
  match(path: string): unknown;
}

export interface ExpressLike {
  router: { stack: RouteLayer[] };
}

/** `code: "method_not_allowed"` comes from the status (statusErrorCode), like every status without a domain code. */
export class MethodNotAllowedException extends HttpException {
  constructor(
    method: string,
    readonly allow: readonly string[],
  ) {
    // The path is not echoed back: only the method (one of Node's known ones) and the route's own list.
    super(`${method} is not allowed on this path; allowed: ${allow.join(', ')}`, HttpStatus.METHOD_NOT_ALLOWED);
  }
}

/**
 * The methods the app's routes answer on `path` (HEAD wherever GET is), upper case, sorted;
 * empty when no route matches the path at all.
 */
export function allowedMethods(app: ExpressLike, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of app.router.stack) {
    // Nest mounts middleware bound to an exact path with `app.all` (a route on every method):
    // not a handler, and a real catch-all route would have taken the request anyway.
    if (!layer.route || METHODS.every((method) => layer.route?._handlesMethod(method))) continue;
    let matched: unknown;
    try {
      matched = layer.match(path);
    } catch {
      continue; // undecodable path: the router itself answers 400
    }
    if (matched) for (const method of layer.route._methods()) methods.add(method.toUpperCase());
  }
  return [...methods].sort();
}

/**
 * Express middleware for the end of the route stack (after every route and Nest middleware,
 * right before Nest's 404 handler): a request no route took whose path some route serves with
 * other methods becomes a 405 with `Allow` (RFC 9110 §15.5.6), through the error filter, so the
 * body is the common one (`code: "method_not_allowed"`, request id). Unknown paths stay 404.
 */
export function methodNotAllowed(app: ExpressLike) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = req.path;
    const allow = allowedMethods(app, path);
    if (allow.length === 0 || allow.includes(req.method.toUpperCase())) {
      next();
      return;
    }
    res.setHeader('Allow', allow.join(', '));
    next(new MethodNotAllowedException(req.method, allow));
  };
}

/**
 * Installs methodNotAllowed just before Nest's not-found handler: Nest registers its routes and
 * then that handler during `init()`, both after `configureApp`, so the hook wraps the adapter's
 * `setNotFoundHandler` (the one place that runs after the last route).
 */
export function answerMethodNotAllowed(app: INestApplication): void {
  const adapter = app.getHttpAdapter() as AbstractHttpAdapter;
  const express = adapter.getInstance() as ExpressLike;
  const setNotFoundHandler = adapter.setNotFoundHandler.bind(adapter);
  adapter.setNotFoundHandler = (handler: unknown, prefix?: string): unknown => {
    adapter.use(methodNotAllowed(express));
    return setNotFoundHandler(handler as never, prefix);
  };
}
