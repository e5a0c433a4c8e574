import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config';

const USAGE =
  'usage: npm run demo:edit -- <airport id> <field>=<value>…\n' +
  '  a value is JSON where it reads as JSON (120, true, "123"), text otherwise; empty is null';

/**
 * `npm run demo:edit -- 10017 tz=America/Chicago`: changes an airport in the demo's source file
 * as the source application would, stamping `updated_at`, so the next incremental run and a
 * resync both see the change.
 */
async function main() {
  const [id, ...assignments] = process.argv.slice(2);
  if (!id || assignments.length === 0) throw new UsageError(USAGE);
  const changes = Object.fromEntries(assignments.map(parseAssignment));
  const path = join(loadConfig().fileSourceRoot, 'airports.jsonl');

  const lines = (await readFile(path, 'utf8')).split('\n');
  const index = lines.findIndex((line) => line.trim() !== '' && String(idOf(line)) === id);
  if (index === -1) throw new UsageError(`airport ${id} is not in ${path}`);
  const airport = { ...JSON.parse(lines[index]), ...changes, updated_at: new Date().toISOString() };
  lines[index] = JSON.stringify(airport);
  await writeFile(path, lines.join('\n'));
  process.stdout.write(`${path}, line ${index + 1}:\n${lines[index]}\n`);
}

function parseAssignment(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`"${text}" is not <field>=<value>\n${USAGE}`);
  const value = text.slice(at + 1);
  return [text.slice(0, at), value === '' ? null : jsonOrText(value)];
}

function jsonOrText(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function idOf(line: string): unknown {
  try {
    return (JSON.parse(line) as { id?: unknown }).id;
  } catch {
    return undefined;
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
