/**
 * Case-insensitive source-id search for every script, not only ASCII: under the "C" collation
 * of source_id, lower() folds A–Z alone. The ICU root collation folds the case of all of Unicode.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('drop index if exists records_source_id_trgm');
  await knex.raw(
    `create index records_source_id_folded_trgm on records
     using gin (lower(source_id collate "und-x-icu") gin_trgm_ops)`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.raw('drop index if exists records_source_id_folded_trgm');
  await knex.raw(
    'create index records_source_id_trgm on records using gin (lower(source_id) gin_trgm_ops)',
  );
};
