export class EventLogFullError extends Error {
  override name = 'EventLogFullError';
}

export class EventWriterClosedError extends Error {
  override name = 'EventWriterClosedError';
}

/**
 * ClickHouse errors an INSERT of our JSONEachRow segments can only ever get again, whatever the state of the
 * server: they are raised while the input is parsed, so they depend on the payload (and the table's columns)
 * alone. A segment failing with one is quarantined instead of retried forever in front of the whole log.
 * Codes and names checked with errorCodeToName() on ClickHouse 26.7 (chDB 3.4), and the ones JSONEachRow
 * actually raises (27, 41, 72, 117, 130, 376) by inserting such lines into chDB.
 *
 * Deliberately absent, so retried: anything about the server or the schema being mid-change (UNKNOWN_TABLE,
 * UNKNOWN_DATABASE, NO_SUCH_COLUMN_IN_TABLE, READONLY, TABLE_IS_READ_ONLY, TOO_MANY_PARTS,
 * MEMORY_LIMIT_EXCEEDED, NOT_ENOUGH_SPACE, TIMEOUT_EXCEEDED, NETWORK_ERROR, UNKNOWN_STATUS_OF_INSERT …), and
 * ATTEMPT_TO_READ_AFTER_EOF / CANNOT_READ_ALL_DATA, which a connection cut mid-body also produces.
 */
const PAYLOAD_ERRORS: ReadonlyMap<number, string> = new Map([
  [6, 'CANNOT_PARSE_TEXT'],
  [25, 'CANNOT_PARSE_ESCAPE_SEQUENCE'],
  [26, 'CANNOT_PARSE_QUOTED_STRING'],
  [27, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED'],
  [38, 'CANNOT_PARSE_DATE'],
  [41, 'CANNOT_PARSE_DATETIME'],
  [72, 'CANNOT_PARSE_NUMBER'],
  [117, 'INCORRECT_DATA'],
  [128, 'TOO_LARGE_ARRAY_SIZE'],
  [130, 'CANNOT_READ_ARRAY_FROM_TEXT'],
  [131, 'TOO_LARGE_STRING_SIZE'],
  [321, 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE'],
  [349, 'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN'],
  [376, 'CANNOT_PARSE_UUID'],
  [441, 'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING'],
  [467, 'CANNOT_PARSE_BOOL'],
  [563, 'CANNOT_READ_MAP_FROM_TEXT'],
  [632, 'UNEXPECTED_DATA_AFTER_PARSED_VALUE'],
  [675, 'CANNOT_PARSE_IPV4'],
  [676, 'CANNOT_PARSE_IPV6'],
]);

/**
 * Codes that are about the payload only when the input format raised them. A materialized view's SELECT
 * raises TYPE_MISMATCH or CANNOT_CONVERT_TYPE too (say, after a bad migration): then every segment would
 * fail alike and quarantining the whole log would be wrong, so without the input format's own marker
 * ("(at row N)", "…InputFormat") these are retried.
 */
const INPUT_ONLY_ERRORS: ReadonlyMap<number, string> = new Map([
  [53, 'TYPE_MISMATCH'],
  [70, 'CANNOT_CONVERT_TYPE'],
  [306, 'TOO_DEEP_RECURSION'],
]);
const INPUT_MARKER = /\(at row \d+\)|InputFormat/;

export interface InsertErrorClass {
  /** True only for errors that retrying the same bytes can never fix. */
  permanent: boolean;
  /** ClickHouse's numeric error code, when the error carries one. */
  code?: number;
  /** ClickHouse's error name (e.g. CANNOT_PARSE_INPUT_ASSERTION_FAILED), when the error carries one. */
  type?: string;
  message: string;
}

/**
 * Tells a permanent INSERT failure from one worth retrying. Unknown shapes are retryable: a wrong
 * "retryable" costs a stuck log (what happened before), a wrong "permanent" would pull good events out of
 * ClickHouse's way until an operator re-ships them.
 *
 * The code is read from `code` when it is numeric (@clickhouse/client's ClickHouseError) or else from the
 * message (chDB's raw insert throws ChdbInsertError with code "CHDB_INSERT" and the server's
 * "Code: 27. DB::Exception: … (CANNOT_PARSE_INPUT_ASSERTION_FAILED)" text). When both a code and a name are
 * present they must agree, so a message that merely quotes "Code: 27" (payload text is echoed back in parse
 * errors) cannot pass for one.
 */
export function classifyInsertError(err: unknown): InsertErrorClass {
  const message = err instanceof Error ? err.message : String(err);
  const fields = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; type?: unknown };
  let code: number | undefined;
  let type: string | undefined;
  if (typeof fields.code === 'string' && /^\d+$/.test(fields.code)) code = Number(fields.code);
  else if (typeof fields.code === 'number' && Number.isInteger(fields.code)) code = fields.code;
  if (typeof fields.type === 'string' && /^[A-Z][A-Z0-9_]+$/.test(fields.type)) type = fields.type;
  if (code === undefined) {
    // The error's own code opens the message ("Code: 27. DB::Exception: …"); on a cluster the innermost one
    // follows "There was an error on [host]: Code: …", so the last one that heads an exception is taken.
    const codes = [...message.matchAll(/Code: (\d+)\. DB::Exception/g)];
    const last = codes.at(-1);
    if (last) code = Number(last[1]);
  }
  if (type === undefined) {
    // The name is the final "(NAME)" before an optional "(version …)" suffix.
    const m = /\(([A-Z][A-Z0-9_]{2,})\)(?: \(version [^)]*\))?\s*$/.exec(message.trimEnd());
    if (m) type = m[1];
  }
  const result: InsertErrorClass = {
    permanent: false,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(type !== undefined ? { type } : {}),
  };
  if (code === undefined || type === undefined) return result;
  if (PAYLOAD_ERRORS.get(code) === type) result.permanent = true;
  else if (INPUT_ONLY_ERRORS.get(code) === type && INPUT_MARKER.test(message)) result.permanent = true;
  return result;
}
