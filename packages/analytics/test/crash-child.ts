/**
 * Child process for the crash tests (src/crash.int.test.ts). Run with `node --import tsx`.
 *
 * `crash <json>`: records events and prints `id <event_id>` once each record() resolved, until the parent
 * SIGKILLs it. Modes: `blocked` (INSERT never returns), `inserted` (INSERT succeeds, then the process
 * stalls before the segment is deleted; prints `inserted <token>`), `load` (real INSERTs, small batches).
 * `verify <json>`: opens the same chDB directory and WAL directories, lets the EventWriter recover and
 * ship, and prints one JSON line: per database, the row count of every event_id.
 */
import { createClickHouse } from '../src/clickhouse';
import { clickHouseInserter, type InsertBatch } from '../src/clickhouse-inserter';
import { EventWriter } from '../src/event-writer';
import { migrateClickHouse } from '../src/migrate';
import { countByEventId } from '../src/testing';
import { makeEvent } from './fixtures';

interface CrashArgs {
  dataDir: string;
  database: string;
  walDir: string;
  mode: 'blocked' | 'inserted' | 'load';
}
interface VerifyArgs {
  dataDir: string;
  cases: { database: string; walDir: string }[];
}

const [command, json] = process.argv.slice(2);

async function crash(args: CrashArgs): Promise<void> {
  const ch = createClickHouse({ dataDir: args.dataDir, database: args.database });
  await migrateClickHouse(ch);
  const real = clickHouseInserter(ch);
  const never = () => new Promise<void>(() => {});
  const insert: InsertBatch =
    args.mode === 'blocked'
      ? never
      : args.mode === 'inserted'
        ? async (batch) => {
            await real(batch);
            process.stdout.write(`inserted ${batch.token}\n`);
            await never();
          }
        : real;
  const writer = new EventWriter({
    ch,
    walDir: args.walDir,
    insert,
    batchMaxEvents: args.mode === 'load' ? 40 : 25,
    batchMaxDelayMs: 20,
  });
  await writer.start();
  process.stdout.write('ready\n');
  let i = 0;
  // 32 concurrent producers, forever: the parent decides when this process dies.
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (;;) {
        const event = makeEvent(i++);
        await writer.record(event);
        process.stdout.write(`id ${event.event_id}\n`);
      }
    }),
  );
}

async function verify(args: VerifyArgs): Promise<void> {
  const result: Record<string, Record<string, number>> = {};
  for (const c of args.cases) {
    const ch = createClickHouse({ dataDir: args.dataDir, database: c.database });
    await migrateClickHouse(ch);
    const writer = new EventWriter({ ch, walDir: c.walDir });
    await writer.flush();
    await writer.close();
    result[c.database] = Object.fromEntries(await countByEventId(ch));
    await ch.close();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (command === 'crash') await crash(JSON.parse(json ?? '{}') as CrashArgs);
else if (command === 'verify') await verify(JSON.parse(json ?? '{}') as VerifyArgs);
else throw new Error(`unknown command ${command}`);
