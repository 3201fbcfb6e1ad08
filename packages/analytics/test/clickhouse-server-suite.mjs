// `npm run test:clickhouse-server`: the analytics integration tests (migrations, ON CLUSTER when
// CLICKHOUSE_CLUSTER is set, EventWriter exactly-once through an outage, every query against its
// brute-force twin) against the ClickHouse server at CLICKHOUSE_URL instead of the embedded chDB.
// Without CLICKHOUSE_URL it prints why it skips and exits 0, as the PostgreSQL half of `npm test` does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const url = process.env.CLICKHOUSE_URL;
if (!url) {
  process.stdout.write(
    '[@pitchline/analytics] skipping the ClickHouse server suite: CLICKHOUSE_URL is not set ' +
      '(e.g. CLICKHOUSE_URL=http://127.0.0.1:8123 npm run test:clickhouse-server; README "Test it")\n',
  );
  process.exit(0);
}

const headers = process.env.CLICKHOUSE_PASSWORD
  ? {
      authorization: `Basic ${Buffer.from(`${process.env.CLICKHOUSE_USER ?? 'default'}:${process.env.CLICKHOUSE_PASSWORD}`).toString('base64')}`,
    }
  : {};
const ping = await fetch(new URL('/ping', url), { headers }).catch((error) => error);
if (!(ping instanceof Response) || !ping.ok) {
  // Asked for explicitly: an unreachable server is a failure, not a skip.
  process.stderr.write(
    `ClickHouse at ${url} does not answer /ping: ${ping instanceof Response ? ping.status : ping.message}\n`,
  );
  process.exit(1);
}

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('npx', ['vitest', 'run', '--maxWorkers=1', 'int.test'], {
  cwd: packageDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PITCHLINE_TEST_CLICKHOUSE_URL: url,
    PITCHLINE_TEST_CLICKHOUSE_USER: process.env.CLICKHOUSE_USER ?? '',
    PITCHLINE_TEST_CLICKHOUSE_PASSWORD: process.env.CLICKHOUSE_PASSWORD ?? '',
    PITCHLINE_TEST_CLICKHOUSE_CLUSTER: process.env.CLICKHOUSE_CLUSTER ?? '',
  },
});
process.exit(result.status ?? 1);
