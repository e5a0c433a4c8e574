import { readFileSync } from 'node:fs';
import { FatalConnectorError } from './connectors/connector-errors';

export type SecretReader = (name: string) => string;

/** Environment variables that hold secrets carry this prefix; no other variable is readable. */
export const SECRET_ENV_PREFIX = 'PROCESSFLOW_SECRET_';

const SECRET_NAME = /^[A-Z0-9_]{1,100}$/;

/**
 * Secrets come from environment variables named PROCESSFLOW_SECRET_<name> or from a JSON
 * secrets file, never from the database. A definition names a secret, so only variables meant
 * as secrets can be reached: a definition cannot read the process's own settings (DATABASE_URL)
 * or anything else in its environment. A missing secret stops the run: every record would fail
 * the same way.
 */
export function createSecretReader(env: NodeJS.ProcessEnv, secretsFile?: string): SecretReader {
  const fromFile: Record<string, unknown> = secretsFile
    ? JSON.parse(readFileSync(secretsFile, 'utf8'))
    : {};
  return (name) => {
    if (!SECRET_NAME.test(name)) {
      throw new FatalConnectorError(
        `secret name "${name.slice(0, 100)}" is not valid: use upper-case letters, digits and underscores`,
      );
    }
    const value = env[`${SECRET_ENV_PREFIX}${name}`] ?? fromFile[name];
    if (typeof value !== 'string' || value === '') {
      throw new FatalConnectorError(
        `secret "${name}" is not set: set ${SECRET_ENV_PREFIX}${name} in the worker's environment or add "${name}" to its secrets file`,
      );
    }
    return value;
  };
}
