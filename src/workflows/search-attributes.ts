import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes that let an operator filter runs in the Temporal UI, e.g.
 * `Deployment = "airports@demo" AND RunKind = "main"`. Values are ids, never record data.
 */
export const processflowKey = defineSearchAttributeKey('Processflow', SearchAttributeType.KEYWORD);
export const deploymentKey = defineSearchAttributeKey('Deployment', SearchAttributeType.KEYWORD);
export const environmentKey = defineSearchAttributeKey('Environment', SearchAttributeType.KEYWORD);
export const runKindKey = defineSearchAttributeKey('RunKind', SearchAttributeType.KEYWORD);
export const sourceIdKey = defineSearchAttributeKey('SourceId', SearchAttributeType.KEYWORD);
export const retryStateKey = defineSearchAttributeKey('RetryState', SearchAttributeType.KEYWORD);
export const nextRetryAtKey = defineSearchAttributeKey('NextRetryAt', SearchAttributeType.DATETIME);

export const searchAttributeKeys = [
  processflowKey,
  deploymentKey,
  environmentKey,
  runKindKey,
  sourceIdKey,
  retryStateKey,
  nextRetryAtKey,
];
