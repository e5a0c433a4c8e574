import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Request, type Response } from 'express';
import { trackOpenResource } from '../../helpers/open-resources';
import { mountListRoutes, withoutSeq } from './list-routes';

export interface FakeRecord {
  id: string;
  [field: string]: unknown;
}

export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
}

export interface FakeAuth {
  bearer?: string;
  basic?: { username: string; password: string };
  apiKey?: { header: string; key: string };
}

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  at: number;
}

interface Interceptor {
  matches: (req: Request) => boolean;
  remaining: number;
  answer: CannedAnswer | (() => CannedAnswer);
}

interface SavedAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * A third-party JSON application on 127.0.0.1, as real ones behave: a list in four paging
 * styles (see list-routes.ts), records by id, writes that honour Idempotency-Key, a bulk
 * endpoint that accepts some items and refuses others, and faults on demand.
 */
export class FakeApp {
  /** The list, in list order: newest first. */
  records: (FakeRecord & { seq: number })[] = [];
  /** Records written by PUT or PATCH, by id. */
  readonly stored = new Map<string, Record<string, unknown>>();
  /** Records created by POST, one entry per creation (a duplicate shows up twice). */
  readonly created: Record<string, unknown>[] = [];
  readonly requests: SeenRequest[] = [];
  /** Runs before each list page is answered (e.g. to insert records at the front). */
  beforeListPage?: (pageNumber: number) => void;
  /** Writes in flight now, and the most ever seen at once. */
  inFlight = 0;
  maxInFlight = 0;
  writeDelayMs = 0;
  /** Runs after a write is stored and before it is answered (e.g. to hold the answer). */
  holdWrite?: (req: Request) => Promise<void>;

  private seq = 0;
  private listPages = 0;
  private slowWrites: { remaining: number; delayMs: number } = { remaining: 0, delayMs: 0 };
  private readonly interceptors: Interceptor[] = [];
  private readonly idempotent = new Map<string, SavedAnswer>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly release: () => void,
  ) {}

  static async start(auth: FakeAuth = {}): Promise<FakeApp> {
    const app = express();
    const holder: { fake?: FakeApp } = {};
    app.use(express.text({ type: () => true, limit: '10mb' }));
    app.use((req, res, next) => holder.fake!.front(req, res, next, auth));
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    const release = trackOpenResource(`Fake application on port ${port}`);
    const fake = new FakeApp(server, `http://127.0.0.1:${port}`, release);
    holder.fake = fake;
    fake.mount(app);
    return fake;
  }

  /** Forgets everything written and every fault set up, as a fresh application. */
  reset(): void {
    this.stored.clear();
    this.created.length = 0;
    this.requests.length = 0;
    this.idempotent.clear();
    this.interceptors.length = 0;
    this.slowWrites = { remaining: 0, delayMs: 0 };
    this.writeDelayMs = 0;
    this.holdWrite = undefined;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.beforeListPage = undefined;
    this.listPages = 0;
  }

  /**
   * Puts records in the list, first one first (it gets the highest sequence number). Seeding
   * the same records again gives them the same sequence numbers, so cursors stay valid.
   */
  seed(records: FakeRecord[]): void {
    this.records = [];
    this.seq = 0;
    for (const record of [...records].reverse()) this.insertFront(record);
  }

  insertFront(record: FakeRecord): void {
    this.records.unshift({ ...record, seq: ++this.seq });
  }

  remove(id: string): void {
    this.records = this.records.filter((r) => r.id !== id);
  }

  /** The next `count` requests that match answer this instead. */
  failNext(
    count: number,
    answer: CannedAnswer | (() => CannedAnswer),
    matches: (req: Request) => boolean = () => true,
  ) {
    this.interceptors.push({ matches, remaining: count, answer });
  }

  /** The next `count` writes are stored, and then answered only after `delayMs`. */
  answerWritesLate(count: number, delayMs: number) {
    this.slowWrites = { remaining: count, delayMs };
  }

  writesTo(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
    this.release();
  }

  private front(req: Request, res: Response, next: () => void, auth: FakeAuth) {
    this.requests.push({
      method: req.method,
      path: req.path,
      query: req.query as Record<string, string>,
      headers: req.headers,
      body: parseBody(req.body),
      at: Date.now(),
    });
    if (!authorized(req, auth)) {
      res.status(401).json({ error: 'unauthorized', echoed: req.headers.authorization });
      return;
    }
    const interceptor = this.interceptors.find((i) => i.remaining > 0 && i.matches(req));
    if (interceptor) {
      interceptor.remaining -= 1;
      const {
        status,
        headers = {},
        body = '',
        contentType = 'application/json',
      } = typeof interceptor.answer === 'function' ? interceptor.answer() : interceptor.answer;
      res.status(status).set(headers).type(contentType).send(body);
      return;
    }
    if (req.method === 'GET' && !/\/records\/[^/]+$/.test(req.path)) {
      this.beforeListPage?.(++this.listPages);
    }
    next();
  }

  private mount(app: express.Express) {
    mountListRoutes(app, this);
    app.get('/records/:id', (req, res) => {
      const found = this.records.find((r) => r.id === req.params.id);
      if (!found) res.status(404).json({ error: `no record ${req.params.id}` });
      else res.json(withoutSeq(found));
    });
    app.put('/records/:id', (req, res) => this.write(req, res, (body) => this.upsert(req, body)));
    app.patch('/records/:id', (req, res) =>
      this.write(req, res, (body) =>
        this.upsert(req, { ...this.stored.get(req.params.id as string), ...body }),
      ),
    );
    app.post('/records', (req, res) =>
      this.write(req, res, (body) => {
        this.created.push(body);
        return { status: 201, body: { created: this.created.length, ...body } };
      }),
    );
    app.post('/records/bulk', (req, res) =>
      this.write(req, res, (body) => {
        const items = (body as { items?: Record<string, unknown>[] }).items ?? [];
        const results = items.map((item) => {
          const refusal = refuse(item);
          if (refusal) return { key: item.key, error: refusal };
          this.stored.set(String(item.key), item);
          return { key: item.key, status: 'created' };
        });
        // Results come back in reverse order, as some APIs do: match them by key, not position.
        return { status: 207, body: { results: results.reverse() } };
      }),
    );
  }

  private upsert(req: Request, body: Record<string, unknown>) {
    const id = req.params.id as string;
    const isNew = !this.stored.has(id);
    this.stored.set(id, body);
    return { status: isNew ? 201 : 200, body: { id, ...body } };
  }

  /** A write, as real APIs do it: validate, honour Idempotency-Key, store, answer. */
  private async write(
    req: Request,
    res: Response,
    apply: (body: Record<string, unknown>) => { status: number; body: unknown },
  ) {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.writeDelayMs > 0) await sleep(this.writeDelayMs);
      const body = parseBody(req.body) as Record<string, unknown>;
      const key = req.header('idempotency-key');
      const fingerprint = createHash('sha256')
        .update(`${req.method} ${req.path} ${String(req.body)}`)
        .digest('hex');
      const saved = key ? this.idempotent.get(key) : undefined;
      if (saved) {
        if (saved.fingerprint !== fingerprint) {
          res.status(422).json({ error: 'Idempotency-Key reused for a different request' });
        } else {
          res.status(saved.status).set('idempotent-replayed', 'true').json(saved.body);
        }
        return;
      }
      const refusal = req.path.endsWith('/bulk') ? null : refuse(body);
      const answer = refusal ? { status: 422, body: { error: refusal } } : apply(body);
      if (key) this.idempotent.set(key, { fingerprint, ...answer });
      await this.holdWrite?.(req);
      if (this.slowWrites.remaining > 0) {
        this.slowWrites.remaining -= 1;
        await sleep(this.slowWrites.delayMs);
      }
      if (!res.destroyed) res.status(answer.status).json(answer.body);
    } finally {
      this.inFlight -= 1;
    }
  }
}

function refuse(body: Record<string, unknown> | null): string | null {
  if (body === null || typeof body !== 'object') return 'the body must be a JSON object';
  if (typeof body.name !== 'string' || body.name === '') return 'name is required';
  return null;
}

function parseBody(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function authorized(req: Request, auth: FakeAuth): boolean {
  if (auth.bearer && req.header('authorization') !== `Bearer ${auth.bearer}`) return false;
  if (auth.basic) {
    const { username, password } = auth.basic;
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (req.header('authorization') !== expected) return false;
  }
  if (auth.apiKey && req.header(auth.apiKey.header) !== auth.apiKey.key) return false;
  return true;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
