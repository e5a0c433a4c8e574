/**
 * Hourly retry slots count from the moment the retry schedule last changed, not from the last
 * redeploy: a redeploy that leaves the schedule as it was must not push waiting retries back.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', (t) => {
    t.timestamp('retry_anchor_at', { useTz: true }).comment(
      'hourly retry slots fall on this instant plus whole intervals; set when the retry schedule changes',
    );
  });
  await knex.raw('update deployments set retry_anchor_at = deployed_at');
  await knex.raw('alter table deployments alter column retry_anchor_at set not null');
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', (t) => t.dropColumn('retry_anchor_at'));
};
