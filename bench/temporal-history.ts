import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/**
 * History events that Temporal counts as actions: starts (also by continue-as-new and of
 * children), signals, timers, activities, search attribute upserts, markers. Heartbeats and
 * queries count too where they reach the server, but leave no event: not counted here.
 */
const ACTION_EVENTS = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
  EventType.EVENT_TYPE_TIMER_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
]);

/** Every run of a workflow id, oldest first (continue-as-new makes several). */
export async function historiesOf(client: Client, workflowId: string): Promise<HistoryEvent[][]> {
  const runs: { runId: string; startTime: Date }[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    runs.push({ runId: run.runId, startTime: run.startTime });
  }
  runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  const histories: HistoryEvent[][] = [];
  for (const run of runs) {
    const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    histories.push(history.events ?? []);
  }
  return histories;
}

export function countActions(events: HistoryEvent[]): number {
  return events.filter((e) => ACTION_EVENTS.has(Number(e.eventType))).length;
}

/** Events by type name, for the record of what one lifecycle did. */
export function eventCounts(events: HistoryEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of events) {
    const name = EventType[Number(event.eventType)].replace('EVENT_TYPE_', '').toLowerCase();
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

export interface ActivityTimings {
  activities: number;
  /** Scheduled to started: waiting in the task queue for a worker. */
  queueSeconds: number;
  /** Started to completed: the activity itself, in the worker. */
  runSeconds: number;
  /** Completed to the next one scheduled: a workflow task round trip through the server. */
  betweenSeconds: number;
}

/** Where a workflow's time went between its activities, summed over its runs. */
export function activityTimings(
  histories: HistoryEvent[][],
  activityType: string,
): ActivityTimings {
  const timings: ActivityTimings = {
    activities: 0,
    queueSeconds: 0,
    runSeconds: 0,
    betweenSeconds: 0,
  };
  for (const events of histories) {
    const scheduled = new Map<string, number>();
    const started = new Map<string, number>();
    let lastCompleted: number | null = null;
    for (const event of events) {
      const at = eventSeconds(event);
      const id = String(event.eventId);
      switch (Number(event.eventType)) {
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
          if (event.activityTaskScheduledEventAttributes?.activityType?.name !== activityType)
            break;
          scheduled.set(id, at);
          if (lastCompleted !== null) timings.betweenSeconds += at - lastCompleted;
          break;
        case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
          const of = String(event.activityTaskStartedEventAttributes?.scheduledEventId);
          if (scheduled.has(of)) {
            started.set(of, at);
            timings.queueSeconds += at - scheduled.get(of)!;
          }
          break;
        }
        case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
          const of = String(event.activityTaskCompletedEventAttributes?.scheduledEventId);
          if (started.has(of)) {
            timings.activities += 1;
            timings.runSeconds += at - started.get(of)!;
            lastCompleted = at;
          }
          break;
        }
      }
    }
  }
  return timings;
}

function eventSeconds(event: HistoryEvent): number {
  const time = event.eventTime;
  return Number(time?.seconds ?? 0) + (time?.nanos ?? 0) / 1e9;
}
