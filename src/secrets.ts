import { readFileSync } from 'node:fs';
import { FatalConnectorError } from './connectors/connector-errors';

export type SecretReader = (name: string) => string;

/**
 * Secrets come from the process environment or a JSON secrets file, never from the database.
 * A missing secret stops the run: every record would fail the same way.
 */
export function createSecretReader(env: NodeJS.ProcessEnv, secretsFile?: string): SecretReader {
  const fromFile: Record<string, unknown> = secretsFile
    ? JSON.parse(readFileSync(secretsFile, 'utf8'))
    : {};
  return (name) => {
    const value = env[name] ?? fromFile[name];
    if (typeof value !== 'string' || value === '') {
      throw new FatalConnectorError(
        `secret "${name}" is not set in the environment or secrets file`,
      );
    }
    return value;
  };
}
