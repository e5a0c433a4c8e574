/**
 * Daily reports per environment: when and where to send them, each report's figures, and its
 * delivery to each webhook.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('report_settings', (t) => {
    t.comment('The daily report of an environment: the wall-clock time it is made, who gets it.');
    t.text('environment_name').primary().references('environments.name');
    t.text('at').notNullable().comment('HH:MM wall clock in timezone');
    t.text('timezone').notNullable();
    t.jsonb('webhooks').notNullable().defaultTo('[]').comment('URLs that receive each report');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('daily_reports', (t) => {
    t.comment('One report: the figures of an environment over the 24 hours before period_end.');
    t.bigIncrements('id');
    t.text('environment_name').notNullable().references('environments.name');
    t.timestamp('period_start', { useTz: true }).notNullable();
    t.timestamp('period_end', { useTz: true }).notNullable();
    t.jsonb('figures').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['environment_name', 'period_end']);
    t.index(['environment_name', 'id']);
  });

  await knex.schema.createTable('report_deliveries', (t) => {
    t.comment('The delivery of a report to one webhook.');
    t.bigInteger('report_id').notNullable().references('daily_reports.id').onDelete('CASCADE');
    t.text('url').notNullable();
    t.text('status').notNullable().comment('delivered | failed');
    t.integer('http_status');
    t.text('error');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['report_id', 'url']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('report_deliveries');
  await knex.schema.dropTableIfExists('daily_reports');
  await knex.schema.dropTableIfExists('report_settings');
};
