/**
 * Counts per deployment kept beside the ledger, so that the deployments list answers at once
 * however many records and snapshots a deployment has. Statement-level triggers add what each
 * statement on records and snapshots changed (one aggregate per statement, not per row) in the
 * statement's own transaction, so the counts are exact whenever they can be read. Counter rows
 * stay locked until their transaction ends: two attempts of one deployment that change counts
 * queue at commit rather than run side by side.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_record_counts', (t) => {
    t.comment(
      'Ledger rows and their tries per deployment and status, kept by triggers on records.',
    );
    t.text('deployment_id').notNullable().references('deployments.id');
    t.text('status').notNullable().comment('Success | Failed | Unprocessed');
    t.bigInteger('records').notNullable().defaultTo(0);
    t.bigInteger('tries').notNullable().defaultTo(0);
    t.primary(['deployment_id', 'status']);
  });
  await knex.schema.createTable('deployment_snapshot_counts', (t) => {
    t.comment('Snapshots per deployment, kept by triggers on snapshots.');
    t.text('deployment_id').primary().references('deployments.id');
    t.bigInteger('snapshots').notNullable().defaultTo(0);
  });

  // A statement's changes as rows of (deployment, status, records, tries); applied in key order
  // so that concurrent statements lock counter rows in the same order. An insert trigger has no
  // old rows and a delete trigger no new ones, hence a branch per operation.
  const applyRecordChanges = (changes) => `
      insert into deployment_record_counts as c (deployment_id, status, records, tries)
      select deployment_id, status, sum(records), sum(tries) from (${changes}) as changes
      group by 1, 2
      having sum(records) <> 0 or sum(tries) <> 0
      order by 1, 2
      on conflict (deployment_id, status) do update
        set records = c.records + excluded.records, tries = c.tries + excluded.tries`;
  const added =
    'select deployment_id, status, count(*) as records, sum(tries) as tries from new_rows group by 1, 2';
  const removed =
    'select deployment_id, status, -count(*), -sum(tries) from old_rows group by 1, 2';
  await knex.raw(`
    create function count_record_changes() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then ${applyRecordChanges(added)};
      elsif tg_op = 'DELETE' then ${applyRecordChanges(removed)};
      else ${applyRecordChanges(`${added} union all ${removed}`)};
      end if;
      return null;
    end $$`);

  const applySnapshotChanges = (changes) => `
      insert into deployment_snapshot_counts as c (deployment_id, snapshots)
      select deployment_id, n from (${changes}) as changes
      order by 1
      on conflict (deployment_id) do update set snapshots = c.snapshots + excluded.snapshots`;
  await knex.raw(`
    create function count_snapshot_changes() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        ${applySnapshotChanges('select deployment_id, count(*) as n from new_rows group by 1')};
      else
        ${applySnapshotChanges('select deployment_id, -count(*) as n from old_rows group by 1')};
      end if;
      return null;
    end $$`);

  for (const [table, fn] of [
    ['records', 'count_record_changes'],
    ['snapshots', 'count_snapshot_changes'],
  ]) {
    await knex.raw(`create trigger ${table}_counted_on_insert after insert on ${table}
      referencing new table as new_rows for each statement execute function ${fn}()`);
    await knex.raw(`create trigger ${table}_counted_on_delete after delete on ${table}
      referencing old table as old_rows for each statement execute function ${fn}()`);
  }
  // Updates change a record's status and tries; a snapshot updated in place stays one.
  await knex.raw(`create trigger records_counted_on_update after update on records
    referencing old table as old_rows new table as new_rows
    for each statement execute function count_record_changes()`);

  await knex.raw(`
    insert into deployment_record_counts (deployment_id, status, records, tries)
    select deployment_id, status, count(*), sum(tries) from records group by 1, 2`);
  await knex.raw(`
    insert into deployment_snapshot_counts (deployment_id, snapshots)
    select deployment_id, count(*) from snapshots group by 1`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const trigger of [
    'records_counted_on_insert on records',
    'records_counted_on_delete on records',
    'records_counted_on_update on records',
    'snapshots_counted_on_insert on snapshots',
    'snapshots_counted_on_delete on snapshots',
  ]) {
    await knex.raw(`drop trigger if exists ${trigger}`);
  }
  await knex.raw('drop function if exists count_record_changes()');
  await knex.raw('drop function if exists count_snapshot_changes()');
  await knex.schema.dropTableIfExists('deployment_snapshot_counts');
  await knex.schema.dropTableIfExists('deployment_record_counts');
};
