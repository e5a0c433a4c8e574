import { SECRET_ENV_PREFIX } from '../../src/secrets';

/** Makes a secret readable by connectors in this process, as an operator would set it. */
export function setSecret(name: string, value: string): void {
  process.env[`${SECRET_ENV_PREFIX}${name}`] = value;
}

export function unsetSecret(name: string): void {
  delete process.env[`${SECRET_ENV_PREFIX}${name}`];
}
