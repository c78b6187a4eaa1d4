import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../handler.js';
import { handleNode } from '../node/bridge.js';

/** A `http.createServer` listener answering with the handler. */
export function toNodeListener(handler: Handler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handleNode(handler, req, res).catch((error: unknown) => res.destroy(error as Error));
  };
}
