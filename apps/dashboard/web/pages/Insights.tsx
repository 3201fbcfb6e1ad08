import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard } from '../components/ChartCard';
import { Empty, ErrorState, Loading } from '../components/states';
import { useInsights } from '../lib/analytics';
import type { Table } from '../lib/csv';
import { formatPercent } from '../lib/format';
import { useRange } from '../lib/range-context';
import { TableCard } from './Revenue';

export default function Insights() {
  const { range, timeZone } = useRange();
  const query = useInsights({ ...range, tz: timeZone });
  const body = () => {
    if (query.isPending) return <Loading label="Loading voice insights…" />;
    if (query.error && !query.data)
      return <ErrorState error={query.error} retry={() => void query.refetch()} />;
    const d = query.data.data;
    if (d.health.turns === 0) return <Empty title="No dialog turns in this range" />;
    const intents: Table = {
      columns: ['Intent', 'Turns', 'Sessions', 'Share'],
      rows: d.topIntents.map((i) => [i.intent, i.turns, i.sessions, formatPercent(i.share)]),
    };
    const health: Table = {
      columns: [
        'Turns',
        'Sessions',
        'Fallback turns',
        'Fallback rate',
        'Sessions with fallback',
        'Unhandled turns',
        'Unhandled rate',
      ],
      rows: [
        [
          d.health.turns,
          d.health.sessions,
          d.health.fallbackTurns,
          formatPercent(d.health.fallbackRate),
          d.health.sessionsWithFallback,
          d.health.unhandledTurns,
          formatPercent(d.health.unhandledRate),
        ],
      ],
    };
    return (
      <>
        <TableCard title="Dialog health" table={health} />
        <ChartCard title="Top intents" table={intents} filename="top-intents">
          <ResponsiveContainer width="100%" height={Math.max(160, d.topIntents.length * 28)}>
            <BarChart
              data={d.topIntents}
              layout="vertical"
              margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
            >
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="intent" width={200} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Bar dataKey="turns" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
        <TableCard
          title="Catalog gaps: asked for, not found"
          table={{
            columns: ['What the shopper said', 'Requests', 'Sessions'],
            rows: d.catalogGaps.map((g) => [g.value, g.requests, g.sessions]),
          }}
        />
        <TableCard
          title={`Exit points (${d.exitPoints.sessionsEnded} sessions ended)`}
          table={{
            columns: ['Reason', 'Sessions', 'Share'],
            rows: d.exitPoints.byReason.map((r) => [r.reason, r.sessions, formatPercent(r.share)]),
          }}
        />
        <TableCard
          title="Last prompts before leaving"
          table={{
            columns: ['Last prompt', 'Reason', 'Sessions'],
            rows: d.exitPoints.lastPrompts.map((p) => [p.lastPrompt, p.reason, p.sessions]),
          }}
        />
        <TableCard
          title={`Turns to purchase (median ${d.turnsToPurchase.median ?? '—'}, p90 ${d.turnsToPurchase.p90 ?? '—'})`}
          table={{
            columns: ['Turns', 'Sessions'],
            rows: d.turnsToPurchase.histogram.map((h) => [h.turns, h.sessions]),
          }}
        />
        <TableCard
          title="Skill latency (ms)"
          table={{
            columns: ['Request type', 'Turns', 'p50', 'p90', 'p99', 'Max'],
            rows: d.latency.map((l) => [l.requestType, l.turns, l.p50, l.p90, l.p99, l.max]),
          }}
        />
        <TableCard
          title="Rejected requests"
          table={{ columns: ['Reason', 'Requests'], rows: d.rejected.map((r) => [r.reason, r.requests]) }}
        />
      </>
    );
  };
  return (
    <>
      <h1>Voice insights</h1>
      {body()}
    </>
  );
}
