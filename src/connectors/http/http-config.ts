import { z } from 'zod';

const secretName = z
  .string()
  .min(1)
  .describe('name of a secret (environment variable or secrets file entry), not its value');

/** How requests prove who we are. Only secret names live in the config; values never do. */
export const httpAuthSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({ type: z.literal('bearer'), tokenSecret: secretName }),
    z.strictObject({
      type: z.literal('basic'),
      username: z.string().min(1),
      passwordSecret: secretName,
    }),
    z.strictObject({
      type: z.literal('apiKey'),
      header: z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'),
      keySecret: secretName,
    }),
  ])
  .default({ type: 'none' });

export type HttpAuth = z.infer<typeof httpAuthSchema>;

const baseUrl = z
  .url({ protocol: /^https?$/ })
  .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), {
    message: 'put credentials in auth (as secret names), not in the URL',
  })
  .describe('scheme, host and optional path prefix, e.g. https://api.example.com/v2');

/** What every HTTP connector config has: where, how to authenticate, and how hard to push. */
export const httpConnectionShape = {
  baseUrl,
  auth: httpAuthSchema,
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string())
    .default({})
    .describe('fixed, non-secret headers sent with every request'),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe('requests in flight at once to this application, across the worker'),
  ratePerSecond: z
    .number()
    .positive()
    .max(10_000)
    .optional()
    .describe('at most this many requests a second to this application, across the worker'),
  maxRetryAfterMs: z
    .number()
    .int()
    .min(0)
    .default(300_000)
    .describe('longest Retry-After honoured; a longer one is cut to this'),
};

/** `{id}` in a template is the record's source id, percent-encoded as one path segment. */
export const urlTemplateSchema = z
  .string()
  .min(1)
  .refine((template) => !/^[a-z]+:/i.test(template), {
    message: 'give a path under baseUrl, e.g. /contacts/{id}',
  });
