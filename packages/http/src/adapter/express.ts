import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../handler.js';
import { handleNode } from '../node/bridge.js';

/** The part of an Express request the middleware reads besides Node's: where it is mounted. */
type ExpressRequestLike = IncomingMessage & { readonly baseUrl?: string };

/**
 * An Express middleware answering with the handler. Mount it before any body parser
 * (`express.json()`), which would consume the body. Under `app.use('/luoshi', …)` Express has
 * already cut the mount path from `req.url`; it is passed on from `req.baseUrl` so the OpenAPI
 * document names it. Typed structurally: no import of express.
 */
export function expressMiddleware(handler: Handler): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    const basePath = (req as ExpressRequestLike).baseUrl ?? '';
    const mount = basePath === '' ? undefined : { basePath, url: req.url ?? '/' };
    handleNode(handler, req, res, mount).catch(next);
  };
}
