/**
 * The processflow schema: what is deployed where, every execution, and the per-record ledger
 * with its snapshots. Source ids are stored exactly as the source sent them; the "C" collation
 * keeps their order byte-wise and stable for keyset pagination, whatever the server's locale.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('create extension if not exists pg_trgm');

  await knex.schema.createTable('environments', (t) => {
    t.comment(
      'Named places where flows run; each is served by the workers polling its task queue.',
    );
    t.text('name').primary();
    t.text('description').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('processflows', (t) => {
    t.comment('A processflow by name; its definitions live in processflow_versions.');
    t.text('name').primary();
    t.integer('latest_version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('processflow_versions', (t) => {
    t.comment('Immutable definitions: saving a changed definition adds a version.');
    t.text('processflow_name').notNullable().references('processflows.name').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.jsonb('definition').notNullable();
    t.text('definition_hash').notNullable().comment('sha256 of the canonical definition JSON');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['processflow_name', 'version']);
    t.unique(['processflow_name', 'definition_hash']);
  });

  await knex.schema.createTable('deployments', (t) => {
    t.comment(
      'One processflow deployed to one environment, pinned to a version, with Sync & Retry settings.',
    );
    t.text('id').primary().comment('<processflow>@<environment>, stable across redeploys');
    t.text('processflow_name').notNullable().references('processflows.name');
    t.text('environment_name').notNullable().references('environments.name');
    t.integer('version').notNullable();
    t.text('status').notNullable().comment('deployed | undeployed');
    t.text('retry_mode').notNullable().comment('manual | auto');
    t.text('retry_frequency').notNullable().comment('hourly | daily');
    t.text('retry_daily_at').comment('HH:MM wall clock in timezone, daily frequency only');
    t.integer('retry_interval_hours').notNullable();
    t.integer('retry_time_lapse_minutes').notNullable();
    t.integer('retry_batch_size').notNullable();
    t.text('timezone').notNullable();
    t.integer('execution_count')
      .notNullable()
      .defaultTo(0)
      .comment('last execution sequence number used');
    t.timestamp('deployed_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('undeployed_at', { useTz: true });
    t.unique(['processflow_name', 'environment_name']);
    t.index(['environment_name']);
    t.foreign(['processflow_name', 'version'])
      .references(['processflow_name', 'version'])
      .inTable('processflow_versions');
  });

  await knex.schema.createTable('executions', (t) => {
    t.comment(
      'One run of a deployment: a main run, an automatic retry run or a manual resync run.',
    );
    t.bigIncrements('id');
    t.text('deployment_id').notNullable().references('deployments.id');
    t.integer('seq').notNullable().comment('n in the workflow id execution/<deployment>/<n>');
    t.text('kind').notNullable().comment('main | retry | resync');
    t.text('workflow_id').notNullable().unique();
    t.integer('version').notNullable().comment('processflow version the run used');
    t.text('status').notNullable().comment('running | completed | failed | cancelled');
    t.text('trigger').notNullable().defaultTo('api').comment('who or what started it');
    t.integer('records_fetched').notNullable().defaultTo(0);
    t.integer('records_succeeded').notNullable().defaultTo(0);
    t.integer('records_failed').notNullable().defaultTo(0);
    t.integer('pages').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.unique(['deployment_id', 'seq']);
    t.index(['deployment_id', 'id']);
  });

  await knex.schema.createTable('records', (t) => {
    t.comment('The ledger behind Sync Info: one row per deployment and source id.');
    t.text('deployment_id').notNullable().references('deployments.id');
    t.specificType('source_id', 'text collate "C"').notNullable();
    t.text('node_name').notNullable().comment('name of the GET node the record came from');
    t.text('status').notNullable().comment('Success | Failed | Unprocessed');
    t.integer('tries').notNullable().defaultTo(0).comment('finished attempts, of every kind');
    t.bigInteger('last_execution_id').references('executions.id');
    t.text('last_attempt_kind').comment('main | retry | resync');
    t.timestamp('last_attempt_at', { useTz: true });
    t.text('last_error');
    t.text('last_error_node');
    t.text('retry_state').comment('null | waiting | exhausted | stopped');
    t.integer('auto_retries_used')
      .notNullable()
      .defaultTo(0)
      .comment('automatic retries in the current lifecycle');
    t.timestamp('next_retry_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['deployment_id', 'source_id']);
    t.index(['deployment_id', 'status', 'source_id']);
    t.index(['deployment_id', 'node_name', 'source_id']);
  });
  await knex.raw(
    'create index records_source_id_trgm on records using gin (lower(source_id) gin_trgm_ops)',
  );

  await knex.schema.createTable('snapshots', (t) => {
    t.comment('What one record looked like at each node during one attempt.');
    t.bigIncrements('id');
    t.text('deployment_id').notNullable().references('deployments.id');
    t.specificType('source_id', 'text collate "C"').notNullable();
    t.bigInteger('execution_id').notNullable().references('executions.id');
    t.text('attempt_kind').notNullable().comment('main | retry | resync');
    t.integer('try_number').notNullable();
    t.text('status').notNullable().comment('Success | Failed');
    t.jsonb('nodes').notNullable().comment('per node: input, output, request, response, error, ms');
    t.text('error');
    t.integer('payload_bytes').notNullable();
    t.boolean('truncated').notNullable().defaultTo(false);
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).notNullable();
    t.unique(['execution_id', 'source_id']);
    t.index(['deployment_id', 'source_id', 'id']);
    t.index(['started_at']);
  });

  await knex.schema.createTable('resync_requests', (t) => {
    t.comment('Manual resyncs: a selection of records of one deployment, run asynchronously.');
    t.uuid('id').primary();
    t.text('deployment_id').notNullable().references('deployments.id');
    t.text('request_id').comment('client idempotency key: a repeated request runs once');
    t.jsonb('selection').notNullable();
    t.text('status').notNullable().comment('pending | running | completed | failed');
    t.integer('total').notNullable().defaultTo(0);
    t.bigInteger('execution_id').references('executions.id');
    t.text('requested_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.unique(['deployment_id', 'request_id']);
  });

  await knex.schema.createTable('resync_items', (t) => {
    t.comment('Per-record outcome of a manual resync.');
    t.uuid('resync_id').notNullable().references('resync_requests.id').onDelete('CASCADE');
    t.specificType('source_id', 'text collate "C"').notNullable();
    t.text('status').notNullable().comment('pending | Success | Failed');
    t.text('error');
    t.timestamp('finished_at', { useTz: true });
    t.primary(['resync_id', 'source_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'resync_items',
    'resync_requests',
    'snapshots',
    'records',
    'executions',
    'deployments',
    'processflow_versions',
    'processflows',
    'environments',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
