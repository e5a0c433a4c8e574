/**
 * Agents that stopped cleanly say so here. Temporal keeps listing a worker's pollers for about
 * a minute after it stops; an agent recorded as stopped after its last poll is not counted, so
 * an environment whose last agent shut down is inactive at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('stopped_agents', (t) => {
    t.comment('Workers that shut down cleanly, by their Temporal identity.');
    t.text('identity').primary();
    t.text('environment_name').notNullable();
    t.timestamp('stopped_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('stopped_agents');
};
