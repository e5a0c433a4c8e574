/** A problem+json answer from the API. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

interface Body {
  text: string;
  contentType: string;
}

const json = (body: unknown): Body | undefined =>
  body === undefined ? undefined : { text: JSON.stringify(body), contentType: 'application/json' };

/** A thin client of the processflow HTTP API. */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, json(body));
  }

  /** POSTs a body as it is, e.g. a processflow definition in YAML. */
  postText<T>(path: string, text: string, contentType: string): Promise<T> {
    return this.request<T>('POST', path, { text, contentType });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, json(body));
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: Body): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers, ...(body && { 'content-type': body.contentType }) },
      body: body?.text,
    });
    const text = await response.text();
    const payload: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, (payload ?? {}) as ApiError['problem']);
    return payload as T;
  }
}

/**
 * Encodes one path segment: source ids may hold '/', '#', '%', spaces and any Unicode. '@' is
 * allowed in a path segment and stays readable, as in deployment ids (airports@demo).
 */
export const segment = (value: string | number) =>
  encodeURIComponent(String(value)).replace(/%40/g, '@');
