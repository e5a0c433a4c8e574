import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express, { type RequestHandler } from 'express';
import pino from 'pino';
import { createApp } from '../../src/api/create-app';
import { systemActor } from '../../src/domain/access';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { recordFigures } from './fault-figures';

const run = promisify(execFile);

/** Where tools/schemathesis.sh installs it (a virtualenv in the cache, never in the repository). */
const cacheDir =
  process.env.PROCESSFLOW_CACHE_DIR ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'processflow');
const SCHEMATHESIS = join(cacheDir, 'schemathesis-venv', 'bin', 'schemathesis');

interface Seen {
  method: string;
  url: string;
  status: number;
  type: string;
  body: unknown;
}

let harness: ProcessflowHarness;
let server: Server;
let workDir: string;
const seen: Seen[] = [];

/** Keeps every answer the API gives, as the fuzzer receives it. */
const recorder: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res);
  let body: unknown;
  res.json = (value: unknown) => {
    body = value;
    return json(value);
  };
  res.on('finish', () =>
    seen.push({
      method: req.method,
      url: req.originalUrl,
      status: res.statusCode,
      type: String(res.getHeader('content-type') ?? ''),
      body,
    }),
  );
  next();
};

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 10 });
  workDir = await mkdtemp(join(tmpdir(), 'processflow-fuzz-'));
  const app = express();
  app.use(recorder);
  app.use(createApp({ services: harness.services, log: pino({ level: 'silent' }) }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await harness?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the schema-driven fuzzer over every operation of /openapi.json', () => {
  it('gets no 5xx, and a problem+json answer naming the field for every invalid input', async () => {
    if (!existsSync(SCHEMATHESIS)) {
      throw new Error(
        `schemathesis is not installed at ${SCHEMATHESIS}: run tools/schemathesis.sh`,
      );
    }
    // Real resources for the generated requests to meet, besides the random ones.
    const definition = harness.definition('fuzzed', 'fuzzed.jsonl', 'fuzzed');
    await harness.writeJsonLines('fuzzed.jsonl', [{ id: 1, name: 'one' }]);
    await harness.deploy(definition);
    const { secret } = await harness.services.tokens.create(
      { name: 'fuzzer', role: 'admin' },
      systemActor('test'),
    );
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const document = (await (
      await fetch(`${base}/openapi.json`, { headers: { authorization: `Bearer ${secret}` } })
    ).json()) as { paths: Record<string, object> };
    const schemaFile = join(workDir, 'openapi.json');
    await writeFile(schemaFile, JSON.stringify(document));
    const operations = Object.values(document.paths).reduce(
      (count: number, methods) => count + Object.keys(methods).length,
      0,
    );

    const report = join(workDir, 'junit.xml');
    const outcome = await run(
      SCHEMATHESIS,
      [
        'run',
        schemaFile,
        '--url',
        base,
        '--header',
        `Authorization: Bearer ${secret}`,
        '--checks',
        // Status codes are not checked: Node's HTTP server itself answers 431 to a URL over
        // its 16 KB header limit, before any route sees it, and no operation can document that.
        'not_a_server_error,content_type_conformance,response_schema_conformance',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        process.env.FUZZ_MAX_EXAMPLES ?? '40',
        '--seed',
        '20261203',
        '--workers',
        '2',
        '--request-timeout',
        '60',
        '--no-color',
        '--report',
        'junit',
        '--report-junit-path',
        report,
      ],
      {
        // Its example cache (.schemathesis, .hypothesis) goes with the run, not into the checkout.
        cwd: workDir,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' },
      },
    ).catch((error: { stdout: string; stderr: string; code: number }) => error);
    const output = `${outcome.stdout}\n${outcome.stderr}`;

    const serverErrors = seen.filter((s) => s.status >= 500);
    const invalid = seen.filter((s) => s.status === 400);
    const unnamed = invalid.filter((s) => {
      const problem = s.body as { type?: string; errors?: { path: string }[] } | undefined;
      if (!s.type.startsWith('application/problem+json')) return true;
      if (problem?.type !== 'urn:processflow:problem:invalid-input') return false;
      return (
        !problem.errors?.length ||
        problem.errors.some((e) => !/^(params|query|body)\b/.test(e.path))
      );
    });
    recordFigures({
      case: 'schema-driven fuzzer (schemathesis) over every operation',
      recordsChecked: 0,
      lost: 0,
      duplicated: 0,
      wrongTries: 0,
      stuck: 0,
      notes: {
        operations,
        requests: seen.length,
        '5xx': serverErrors.length,
        '400 without a named field': unnamed.length,
        '401': seen.filter((s) => s.status === 401).length,
      },
    });
    process.stdout.write(
      `schemathesis: ${operations} operations, ${seen.length} requests, ` +
        `${serverErrors.length} answered 5xx, ${invalid.length} answered 400\n` +
        // The whole report when something failed; its summary otherwise.
        ('code' in outcome ? output : output.split('\n').slice(-30).join('\n'))
          .split('\n')
          .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
          .join('\n'),
    );

    expect(seen.length).toBeGreaterThan(operations * 10);
    expect(serverErrors.map((s) => `${s.method} ${s.url} ${s.status}`)).toEqual([]);
    expect(unnamed.map((s) => `${s.method} ${s.url} ${JSON.stringify(s.body)}`)).toEqual([]);
    expect([outcome.stdout.length > 0, await readFile(report, 'utf8').then(() => true)]).toEqual([
      true,
      true,
    ]);
    expect(output).not.toMatch(/Network Error|timed out/i);
    expect(outcome).not.toHaveProperty('code');
  });
});
