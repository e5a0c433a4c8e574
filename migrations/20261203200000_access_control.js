/**
 * Access control: API tokens (only a hash of each is kept) scoped to environments, with a role;
 * and the audit log of what was done through them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('api_tokens', (t) => {
    t.comment('API tokens. The token itself is shown once at creation; only its hash is kept.');
    t.text('id').primary().comment('public part of the token, pft_<id>_<secret>');
    t.text('name').notNullable().comment('who or what holds it, shown in the audit log');
    t.text('role').notNullable().comment('viewer | operator | admin');
    t.specificType('environments', 'text[]').comment('environments it may reach; null: all');
    t.text('secret_hash').notNullable().comment('sha256 of the whole token, hex');
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.timestamp('last_used_at', { useTz: true });
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.comment('Who did what, when: deploys, executions, resyncs, tokens.');
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor').notNullable().comment('token name, or the system part that acted');
    t.text('actor_token_id').comment('the token used, when one was');
    t.text('action').notNullable().comment('e.g. deployment.deploy, execution.start');
    t.text('environment').comment('the environment acted on, when there is one');
    t.text('target').notNullable().comment('what was acted on: a deployment id, a token id…');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['environment', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists('audit_events');
  await knex.schema.dropTableIfExists('api_tokens');
};
