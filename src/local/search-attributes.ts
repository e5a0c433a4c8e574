import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { temporal } from '@temporalio/proto';

const { IndexedValueType } = temporal.api.enums.v1;

// gRPC status code; the Java test server answers it when an attribute is registered twice.
const GRPC_ALREADY_EXISTS = 6;

const indexedValueTypes: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers custom search attributes through the operator service; attributes that already
 * exist are left alone. Needed even where the server was started with `--search-attribute`
 * flags: a dev server reusing its database file ignores flags for an existing namespace, and
 * the time-skipping test server takes no flags at all.
 */
export async function registerSearchAttributes(
  connection: Connection,
  keys: readonly SearchAttributeKey<SearchAttributeType>[],
  namespace: string,
): Promise<void> {
  // One call per attribute, so one that exists already does not hide the others.
  for (const key of keys) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: indexedValueTypes[key.type] },
      });
    } catch (err) {
      if (!(isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS)) {
        throw err;
      }
    }
  }
}
