import type { HttpAuth } from './http-config';

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for in answers: they would match ordinary text. */
const MIN_SCRUBBED_SECRET = 4;

/**
 * The auth headers for one connector config, and a way to keep the secrets in them out of
 * everything we store or log: headers are shown redacted, and a secret that an application
 * echoes back in an answer or error text is cut out too.
 */
export class Credentials {
  private constructor(
    readonly headers: Record<string, string>,
    private readonly secretHeaders: Set<string>,
    private readonly secrets: string[],
  ) {}

  static create(auth: HttpAuth, secret: (name: string) => string): Credentials {
    switch (auth.type) {
      case 'none':
        return new Credentials({}, new Set(), []);
      case 'bearer': {
        const token = secret(auth.tokenSecret);
        return new Credentials({ authorization: `Bearer ${token}` }, new Set(['authorization']), [
          token,
        ]);
      }
      case 'basic': {
        const password = secret(auth.passwordSecret);
        const encoded = Buffer.from(`${auth.username}:${password}`).toString('base64');
        return new Credentials({ authorization: `Basic ${encoded}` }, new Set(['authorization']), [
          password,
          encoded,
        ]);
      }
      case 'apiKey': {
        const key = secret(auth.keySecret);
        const header = auth.header.toLowerCase();
        return new Credentials({ [header]: key }, new Set([header]), [key]);
      }
    }
  }

  /** Headers as they may be shown: secret ones replaced. */
  redactHeaders(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        this.secretHeaders.has(name.toLowerCase()) ? REDACTED : this.scrub(value),
      ]),
    );
  }

  /** Text with every secret value cut out. */
  scrub(text: string): string {
    let clean = text;
    for (const secret of this.secrets) {
      if (secret.length >= MIN_SCRUBBED_SECRET) clean = clean.split(secret).join(REDACTED);
    }
    return clean;
  }

  /** A JSON value with every secret cut out of its strings (keys included). */
  scrubValue(value: unknown): unknown {
    if (this.secrets.length === 0) return value;
    if (typeof value === 'string') return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.scrubValue(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [this.scrub(k), this.scrubValue(v)]),
      );
    }
    return value;
  }
}
