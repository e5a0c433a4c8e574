/**
 * A run's totals move in the transaction that commits each page, so they are exact even when
 * an activity fails after committing some of its pages. A main run also keeps where it got to:
 * the source cursor after its last committed page and that page's source ids, so a retried page
 * activity picks up after the pages it already did and tells their lifecycles what they missed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('executions', (t) => {
    t.text('resume_cursor').comment('main runs: source cursor after the last committed page');
    t.jsonb('last_page_ids').comment('main runs: source ids of the last committed page');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('executions', (t) => {
    t.dropColumn('resume_cursor');
    t.dropColumn('last_page_ids');
  });
};
