import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';

/** One dependency's answer: reachable, or why not. */
export interface DependencyCheck {
  ok: boolean;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  postgres: DependencyCheck;
  temporal: DependencyCheck;
}

/** A way to ask Temporal whether it answers; tests without a Temporal server pass their own. */
export type TemporalPing = () => Promise<void>;

/** How long each dependency gets to answer: a load balancer's probe must not hang. */
const CHECK_DEADLINE_MS = 2_000;

export function temporalPingOf(client: Client): TemporalPing {
  return async () => {
    await client.connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () =>
      client.workflowService.getSystemInfo({}),
    );
  };
}

/** Readiness: Postgres and Temporal both answer within a short deadline. */
export class ReadinessService {
  constructor(
    private readonly db: Knex,
    private readonly pingTemporal: TemporalPing,
  ) {}

  async check(): Promise<Readiness> {
    const [postgres, temporal] = await Promise.all([
      probe(() => this.db.raw('select 1')),
      probe(this.pingTemporal),
    ]);
    return { ready: postgres.ok && temporal.ok, postgres, temporal };
  }
}

async function probe(check: () => Promise<unknown>): Promise<DependencyCheck> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_DEADLINE_MS} ms`)),
      CHECK_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([check(), deadline]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}
