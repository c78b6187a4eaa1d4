import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../handler.js';
import { handleNode } from '../node/bridge.js';

/**
 * An Express middleware answering with the handler. Mount it before any body parser
 * (`express.json()`), which would consume the body. Typed structurally: no import of express.
 */
export function expressMiddleware(handler: Handler): (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    handleNode(handler, req, res).catch(next);
  };
}
