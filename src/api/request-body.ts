import express, { type RequestHandler } from 'express';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InputError } from '../domain/errors';

export const BODY_LIMIT = '1mb';

export type BodyFormat = 'json' | 'yaml';

const mediaTypes: Record<BodyFormat, string[]> = {
  json: ['application/json'],
  yaml: ['application/yaml', 'text/yaml', 'application/x-yaml'],
};

/** A body in a format the route does not read. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = 'UnsupportedMediaTypeError';
}

/**
 * Any JSON value is read, not only objects and arrays: a body of `null` or `"x"` is valid JSON
 * and is refused by the route's schema, naming `body`.
 */
export const jsonBody: RequestHandler = express.json({ limit: BODY_LIMIT, strict: false });

/**
 * Middleware for a route's body: refuses formats it does not read, and parses YAML into the
 * same value a JSON body would give.
 */
export function bodyReaders(formats: readonly BodyFormat[]): RequestHandler[] {
  const accepted = formats.flatMap((format) => mediaTypes[format]);
  const checkMediaType: RequestHandler = (req, _res, next) => {
    // Every route accepts no body at all; req.is answers null then, unless the client sent
    // an explicit zero length.
    const empty = req.get('content-length') === '0' && !req.get('content-type');
    if (!empty && req.is(accepted) === false) {
      const received = req.get('content-type') ?? 'none';
      next(
        new UnsupportedMediaTypeError(
          `content type "${received}" is not accepted here; send ${accepted.join(' or ')}`,
        ),
      );
      return;
    }
    next();
  };
  if (!formats.includes('yaml')) return [checkMediaType];

  const readText = express.text({ type: mediaTypes.yaml, limit: BODY_LIMIT });
  const parseText: RequestHandler = (req, _res, next) => {
    if (typeof req.body === 'string' && req.is(mediaTypes.yaml)) req.body = parseYamlBody(req.body);
    next();
  };
  return [checkMediaType, readText, parseText];
}

function parseYamlBody(text: string): unknown {
  try {
    // Aliases are capped (a "billion laughs" body expands to gigabytes); warnings about tags
    // the core schema does not know are not written to the process's stderr.
    return parseYaml(text, { prettyErrors: true, maxAliasCount: 50, logLevel: 'error' });
  } catch (error) {
    // Syntax errors, unknown or excessive aliases: all are the client's body, never a 500.
    const message =
      error instanceof YAMLParseError
        ? error.message.split('\n')[0] // the rest repeats the source
        : `not valid YAML: ${(error as Error).message}`;
    throw new InputError('the YAML body could not be parsed', [{ path: 'body', message }]);
  }
}
