import type { RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import { loggableUrl } from './loggable-url';

interface RequestLocals {
  requestId: string;
  log: Logger;
}

/** Gives each request an id (sent back as X-Request-Id) and logs one line when it ends. */
export function requestContext(log: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    const locals: RequestLocals = { requestId, log: log.child({ requestId }) };
    Object.assign(res.locals, locals);
    res.set('X-Request-Id', requestId);

    const started = performance.now();
    res.on('finish', () => {
      const ms = Math.round(performance.now() - started);
      locals.log.info(
        { method: req.method, url: loggableUrl(req.originalUrl), status: res.statusCode, ms },
        'request',
      );
    });
    next();
  };
}

export function requestIdOf(res: Response): string {
  return (res.locals as Partial<RequestLocals>).requestId ?? randomUUID();
}

export function requestLogOf(res: Response, fallback: Logger): Logger {
  return (res.locals as Partial<RequestLocals>).log ?? fallback;
}
