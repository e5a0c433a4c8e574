/**
 * Automatic retries: a retry run claims waiting records for one slot, and a resync works through
 * its pending items. The partial index serves the slot claim, oldest eligible first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('records', (t) => {
    t.bigInteger('claimed_execution_id')
      .references('executions.id')
      .comment('the retry run that claimed the record for its slot, while retry_state = claimed');
  });
  await knex.raw(`comment on column records.retry_state is
    'null: no automatic retry; waiting: a lifecycle waits for a slot; claimed: a retry run holds it;
     exhausted: four automatic retries failed; paused: the deployment left auto mode'`);
  await knex.raw(
    `create index records_retry_waiting on records (deployment_id, last_attempt_at, source_id)
     where retry_state = 'waiting'`,
  );
  await knex.raw(
    `create index records_retry_claimed on records (claimed_execution_id, source_id)
     where retry_state = 'claimed'`,
  );

  await knex.schema.alterTable('executions', (t) => {
    t.timestamp('slot_at', { useTz: true }).comment('retry runs: the slot they ran for');
    t.unique(['deployment_id', 'slot_at'], { indexName: 'executions_retry_slot_unique' });
  });

  // A resync's progress and outcome are its execution's: the copies here were never needed.
  await knex.schema.alterTable('resync_requests', (t) => {
    t.dropColumn('status');
    t.dropColumn('finished_at');
    t.dropColumn('total');
  });
  await knex.raw(
    `create index resync_items_pending on resync_items (resync_id, source_id) where status = 'pending'`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index if exists resync_items_pending');
  await knex.schema.alterTable('resync_requests', (t) => {
    t.text('status').notNullable().defaultTo('completed');
    t.timestamp('finished_at', { useTz: true });
    t.integer('total').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('executions', (t) => {
    t.dropUnique(['deployment_id', 'slot_at'], 'executions_retry_slot_unique');
    t.dropColumn('slot_at');
  });
  await knex.raw('drop index if exists records_retry_claimed');
  await knex.raw('drop index if exists records_retry_waiting');
  await knex.schema.alterTable('records', (t) => t.dropColumn('claimed_execution_id'));
};
