import { ApiClient, ApiError } from '../client/api-client';
import { CliError, ExitCode } from './exit-codes';

export interface GlobalOptions {
  api: string;
  token?: string;
  json?: boolean;
}

/** An API client whose failures become CLI errors that say what to do. */
export class CliApi {
  private readonly client: ApiClient;

  constructor(readonly options: GlobalOptions) {
    const headers: Record<string, string> = options.token
      ? { authorization: `Bearer ${options.token}` }
      : {};
    this.client = new ApiClient(options.api.replace(/\/+$/, ''), headers);
  }

  get<T>(path: string) {
    return this.call(() => this.client.get<T>(path));
  }

  post<T>(path: string, body?: unknown) {
    return this.call(() => this.client.post<T>(path, body));
  }

  postText<T>(path: string, text: string, contentType: string) {
    return this.call(() => this.client.postText<T>(path, text, contentType));
  }

  put<T>(path: string, body?: unknown) {
    return this.call(() => this.client.put<T>(path, body));
  }

  delete<T>(path: string) {
    return this.call(() => this.client.delete<T>(path));
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(error);
    }
  }

  private explain(error: unknown): Error {
    if (!(error instanceof ApiError)) {
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      return new CliError(
        `cannot reach the API at ${this.options.api} (${cause}): start it with "npm run api", ` +
          'or point PROCESSFLOW_API_URL or --api at it',
        ExitCode.unavailable,
      );
    }
    const detail = error.message;
    const fields = (error.problem.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
    switch (error.status) {
      case 400:
        return new CliError(`${detail}${fields}`, ExitCode.invalid);
      case 401:
        return new CliError(
          `${detail}\nSet PROCESSFLOW_TOKEN or pass --token; an admin creates one with ` +
            '"processflow tokens create NAME --role viewer" (the first one with ' +
            '"processflow tokens create NAME --role admin --database").',
          ExitCode.denied,
        );
      case 403:
        return new CliError(
          `${detail}\nAsk an admin for a token with the role and environments needed.`,
          ExitCode.denied,
        );
      case 404:
        return new CliError(detail, ExitCode.notFound);
      case 409:
        return new CliError(detail, ExitCode.conflict);
      default: {
        const id = (error.problem as { errorId?: string }).errorId;
        const code = error.status >= 500 ? ExitCode.unavailable : ExitCode.internal;
        return new CliError(
          `the API answered ${error.status}: ${detail}${id ? ` (errorId ${id})` : ''}`,
          code,
        );
      }
    }
  }
}
