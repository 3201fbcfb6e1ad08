import { ClickHouseError } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { classifyInsertError } from './errors';

/** chDB's raw insert error, as chdb 3.4 throws it (code "CHDB_INSERT", ClickHouse's text in the message). */
function chdbInsertError(message: string): Error {
  return Object.assign(new Error(message), { name: 'ChdbInsertError', code: 'CHDB_INSERT' });
}

// Messages copied from real INSERTs of bad JSONEachRow lines into chDB 3.4 (ClickHouse 26.7).
const GARBAGE =
  "Code: 27. DB::Exception: Cannot parse input: expected '{' before: 'this is not json\\n': (at row 2)\n: While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)";
const BAD_UUID =
  'Code: 376. DB::Exception: Cannot parse UUID from String: invalid format, expected 32 hexadecimal digits: (while reading the value of key event_id): (at row 1)\n: While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_UUID)';
const DEEP =
  "Code: 306. DB::Exception: JSON is too deep for key 'zz': While executing ParallelParsingBlockInputFormat. (TOO_DEEP_RECURSION)";

describe('classifyInsertError', () => {
  it('calls parse errors of the payload permanent, from chDB raw inserts and from the client alike', () => {
    expect(classifyInsertError(chdbInsertError(GARBAGE))).toMatchObject({
      permanent: true,
      code: 27,
      type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
    });
    expect(classifyInsertError(chdbInsertError(BAD_UUID))).toMatchObject({ permanent: true, code: 376 });
    const client = new ClickHouseError({
      message: 'Cannot read DateTime: unexpected word: (at row 1)',
      code: '41',
      type: 'CANNOT_PARSE_DATETIME',
    });
    expect(classifyInsertError(client)).toMatchObject({
      permanent: true,
      code: 41,
      type: 'CANNOT_PARSE_DATETIME',
    });
    expect(classifyInsertError(chdbInsertError(DEEP))).toMatchObject({ permanent: true, code: 306 });
  });

  it('retries what the server or a migration in progress may fix', () => {
    for (const [code, type] of [
      ['81', 'UNKNOWN_DATABASE'],
      ['60', 'UNKNOWN_TABLE'],
      ['16', 'NO_SUCH_COLUMN_IN_TABLE'],
      ['252', 'TOO_MANY_PARTS'],
      ['164', 'READONLY'],
      ['242', 'TABLE_IS_READ_ONLY'],
      ['241', 'MEMORY_LIMIT_EXCEEDED'],
      ['159', 'TIMEOUT_EXCEEDED'],
      ['319', 'UNKNOWN_STATUS_OF_INSERT'],
      ['33', 'CANNOT_READ_ALL_DATA'],
    ] as const) {
      const err = new ClickHouseError({ message: 'x', code, type });
      expect(classifyInsertError(err), type).toMatchObject({ permanent: false, code: Number(code), type });
    }
    expect(
      classifyInsertError(
        chdbInsertError('Code: 81. DB::Exception: Database nodb does not exist. (UNKNOWN_DATABASE)'),
      ),
    ).toMatchObject({ permanent: false, code: 81 });
  });

  it('retries anything it cannot identify: network errors, plain errors, non-errors', () => {
    const econn = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    expect(classifyInsertError(econn).permanent).toBe(false);
    expect(classifyInsertError(new Error('socket hang up')).permanent).toBe(false);
    expect(classifyInsertError('boom').permanent).toBe(false);
    expect(classifyInsertError(undefined).permanent).toBe(false);
    expect(classifyInsertError(null).permanent).toBe(false);
  });

  it('is not fooled by payload text echoed in a message, nor by a code whose name disagrees', () => {
    // A network error whose text quotes a row that itself contains a fake ClickHouse error.
    const quoted = new Error(
      `request failed near 'Code: 27. DB::Exception: x (CANNOT_PARSE_INPUT_ASSERTION_FAILED)' x`,
    );
    expect(classifyInsertError(quoted).permanent).toBe(false);
    expect(
      classifyInsertError(new ClickHouseError({ message: 'x', code: '27', type: 'TOO_MANY_PARTS' }))
        .permanent,
    ).toBe(false);
  });

  it('calls TYPE_MISMATCH permanent only when the input format raised it, not a view after a migration', () => {
    const fromInput = new ClickHouseError({
      message: "Type mismatch for column 'x': (at row 3)\n: While executing JSONEachRowRowInputFormat. ",
      code: '53',
      type: 'TYPE_MISMATCH',
    });
    const fromView = new ClickHouseError({
      message: 'Illegal types of arguments of function plus: While pushing to view db.session_summary_mv',
      code: '53',
      type: 'TYPE_MISMATCH',
    });
    expect(classifyInsertError(fromInput).permanent).toBe(true);
    expect(classifyInsertError(fromView).permanent).toBe(false);
  });
});
