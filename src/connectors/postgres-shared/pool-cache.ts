import { Pool } from 'pg';

/**
 * Connection pools by URL, kept across activities so that each page does not reconnect.
 * A worker closes them once, at shutdown.
 */
export class PoolCache {
  private readonly pools = new Map<string, Pool>();

  poolFor(url: string): Pool {
    let pool = this.pools.get(url);
    if (!pool) {
      pool = new Pool({ connectionString: url, max: 4, idleTimeoutMillis: 30_000 });
      pool.on('error', () => {}); // idle clients that drop are replaced on next checkout
      this.pools.set(url, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }
}
