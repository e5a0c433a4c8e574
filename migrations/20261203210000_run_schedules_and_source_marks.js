/**
 * Scheduled main runs and incremental sync. A deployment may carry a run schedule (a Temporal
 * Schedule runs it); each scheduled run's execution row is found again by the schedule action
 * that started it. A source's high-water mark is kept per deployment and source, and moves only
 * when a run completes.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', (t) => {
    t.jsonb('run_schedule').comment(
      'null: runs start by hand only; else { everyMinutes | everyHours | cron, timezone }',
    );
  });

  await knex.schema.alterTable('executions', (t) => {
    t.text('schedule_action_id')
      .unique()
      .comment('the workflow a Temporal Schedule started for this run: one execution per action');
    t.text('since_mark').comment('the high-water mark the run listed changes after; null: all');
    t.text('reached_mark').comment('the highest mark the run saw, kept when it completes');
  });

  await knex.schema.createTable('source_marks', (t) => {
    t.comment(
      'High-water marks of incremental sources: the next main run fetches only later changes.',
    );
    t.text('deployment_id').notNullable().references('deployments.id');
    t.text('source_key')
      .notNullable()
      .comment('sha256 of the source connector and config: a changed source starts afresh');
    t.text('mark').notNullable();
    t.bigInteger('execution_id')
      .notNullable()
      .references('executions.id')
      .comment('the completed run that set it');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['deployment_id', 'source_key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('source_marks');
  await knex.schema.alterTable('executions', (t) => {
    t.dropColumn('reached_mark');
    t.dropColumn('since_mark');
    t.dropColumn('schedule_action_id');
  });
  await knex.schema.alterTable('deployments', (t) => t.dropColumn('run_schedule'));
};
