import type { Express, Request } from 'express';
import type { FakeApp, FakeRecord } from './fake-app';

type Listed = FakeRecord & { seq: number };

/**
 * The same list in the four paging styles of real APIs. Page numbers and offsets count
 * positions, so records inserted at the front shift every later page; the cursor and Link
 * styles are keysets (records older than the last one handed over) and do not shift.
 */
export function mountListRoutes(app: Express, fake: FakeApp): void {
  app.get('/paged/records', (req, res) => {
    const size = int(req, 'per_page', 10);
    const page = int(req, 'page', 1);
    res.json({ data: fake.records.slice((page - 1) * size, page * size).map(withoutSeq) });
  });

  app.get('/offset/records', (req, res) => {
    const offset = int(req, 'offset', 0);
    const limit = int(req, 'limit', 10);
    res.json({ data: fake.records.slice(offset, offset + limit).map(withoutSeq) });
  });

  app.get('/cursor/records', (req, res) => {
    const limit = int(req, 'limit', 10);
    const cursor = req.query.cursor as string | undefined;
    const before = cursor ? Number(Buffer.from(cursor, 'base64url').toString().slice(4)) : null;
    const { page, more } = olderThan(changedSince(req, fake.records), before, limit);
    const next = more ? Buffer.from(`seq:${page.at(-1)!.seq}`).toString('base64url') : null;
    res.json({ data: page.map(withoutSeq), meta: { next } });
  });

  app.get('/link/records', (req, res) => {
    const size = int(req, 'per_page', 10);
    const before = req.query.before === undefined ? null : Number(req.query.before);
    const { page, more } = olderThan(fake.records, before, size);
    if (more) {
      res.set('link', `</link/records?per_page=${size}&before=${page.at(-1)!.seq}>; rel="next"`);
    }
    res.json(page.map(withoutSeq));
  });
}

export function withoutSeq(record: FakeRecord & { seq?: number }): FakeRecord {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'seq')) as FakeRecord;
}

/** `updated_since`: only records whose updated_at is later (ISO 8601 text in UTC). */
function changedSince(req: Request, records: Listed[]): Listed[] {
  const since = req.query.updated_since;
  if (typeof since !== 'string') return records;
  return records.filter((r) => typeof r.updated_at === 'string' && r.updated_at > since);
}

function olderThan(records: Listed[], before: number | null, limit: number) {
  const older = before === null ? records : records.filter((r) => r.seq < before);
  return { page: older.slice(0, limit), more: older.length > limit };
}

function int(req: Request, name: string, fallback: number): number {
  const value = Number(req.query[name]);
  return Number.isInteger(value) ? value : fallback;
}
