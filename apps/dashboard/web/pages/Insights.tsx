import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, CsvButton } from '../components/ChartCard';
import { Speech } from '../components/Speech';
import { Empty, ErrorState, Loading } from '../components/states';
import { TableWrap } from '../components/TableWrap';
import { useInsights } from '../lib/analytics';
import { formatCount, formatNumber } from '../lib/format';
import { exitReasonLabel, intentLabel, rejectionLabel, requestTypeLabel } from '../lib/labels';
import { useRange } from '../lib/range-context';
import { speechText } from '../lib/speech';
import { col, type TableModel } from '../lib/table';
import { useTitle } from '../lib/title';
import { useDisplay } from '../lib/use-display';
import { TableCard } from './Revenue';

type InsightsData = NonNullable<ReturnType<typeof useInsights>['data']>['data'];
type Intent = InsightsData['topIntents'][number];
type Health = InsightsData['health'];
type Exit = InsightsData['exitPoints']['byReason'][number];
type LastPrompt = InsightsData['exitPoints']['lastPrompts'][number];
type Latency = InsightsData['latency'][number];
type Gap = InsightsData['catalogGaps'][number];
type Rejected = InsightsData['rejected'][number];
type Histogram = InsightsData['turnsToPurchase']['histogram'][number];

/** The API may send a label beside a name (issue 12); read it when it is there. */
const labelField = (row: object): unknown => (row as { label?: unknown }).label;

export default function Insights() {
  useTitle('Voice insights');
  const { range, timeZone } = useRange();
  const display = useDisplay();
  const query = useInsights({ ...range, tz: timeZone });
  const body = () => {
    if (query.isPending) return <Loading label="Loading voice insights…" />;
    if (query.error && !query.data)
      return <ErrorState error={query.error} retry={() => void query.refetch()} />;
    const d = query.data.data;
    if (d.health.turns === 0) return <Empty title="No dialog turns in this range" />;
    const intentRows = d.topIntents.map((i) => ({ ...i, name: intentLabel(i.intent, labelField(i)) }));
    const intents: TableModel<(typeof intentRows)[number]> = {
      columns: [
        col.text('intent_label', 'What the shopper wanted', (i) => i.name),
        col.text('intent', 'Intent', (i: Intent) => i.intent),
        col.count('turns', 'Requests', (i: Intent) => i.turns),
        col.count('sessions', 'Sessions', (i: Intent) => i.sessions),
        col.ratio('share', 'Share', (i: Intent) => i.share),
      ],
      rows: intentRows,
    };
    const intentsOnScreen = { ...intents, columns: intents.columns.filter((c) => c.id !== 'intent') };
    const health: TableModel<Health> = {
      columns: [
        col.count<Health>('turns', 'Requests', (h) => h.turns),
        col.count<Health>('sessions', 'Sessions', (h) => h.sessions),
        col.count<Health>('fallback_turns', 'Not understood', (h) => h.fallbackTurns),
        col.ratio<Health>('fallback_rate', 'Not understood (share)', (h) => h.fallbackRate),
        col.count<Health>(
          'sessions_with_fallback',
          'Sessions with a misunderstanding',
          (h) => h.sessionsWithFallback,
        ),
        col.count<Health>('unhandled_turns', 'Errors', (h) => h.unhandledTurns),
        col.ratio<Health>('unhandled_rate', 'Errors (share)', (h) => h.unhandledRate),
      ],
      rows: [d.health],
      explain: true,
    };
    const exits: TableModel<Exit> = {
      columns: [
        col.text<Exit>('reason_label', 'How it ended', (r) => exitReasonLabel(r.reason, labelField(r))),
        col.text<Exit>('reason', 'Reason', (r) => r.reason),
        col.count<Exit>('sessions', 'Sessions', (r) => r.sessions),
        col.ratio<Exit>('session_end_share', 'Share', (r) => r.share),
      ],
      rows: d.exitPoints.byReason,
    };
    const prompts: TableModel<LastPrompt> = {
      columns: [
        col.text<LastPrompt>('last_prompt_text', 'Last thing Alexa said', (p) => speechText(p.lastPrompt)),
        col.text<LastPrompt>('last_prompt_ssml', 'SSML', (p) => p.lastPrompt),
        col.text<LastPrompt>('reason_label', 'How it ended', (p) => exitReasonLabel(p.reason, labelField(p))),
        col.count<LastPrompt>('sessions', 'Sessions', (p) => p.sessions),
      ],
      rows: d.exitPoints.lastPrompts,
    };
    const latency: TableModel<Latency> = {
      columns: [
        col.text<Latency>('request_type', 'Request', (l) =>
          l.requestType === '' ? 'All requests' : requestTypeLabel(l.requestType, labelField(l)),
        ),
        col.count<Latency>('turns', 'Requests', (l) => l.turns),
        col.ms<Latency>('latency_p50', 'Median', (l) => l.p50),
        col.ms<Latency>('latency_p90', '90th percentile', (l) => l.p90),
        col.ms<Latency>('latency_p99', '99th percentile', (l) => l.p99),
        col.ms<Latency>('latency_max', 'Slowest', (l) => l.max),
      ],
      rows: d.latency,
      explain: true,
    };
    const onScreen = <Row,>(t: TableModel<Row>, hidden: string[]) => ({
      ...t,
      columns: t.columns.filter((c) => !hidden.includes(c.id)),
    });
    const ttp = d.turnsToPurchase;
    return (
      <>
        <TableCard title="Dialog health" table={health} filename="dialog-health" />
        <ChartCard title="Top intents" table={intentsOnScreen} filename="top-intents">
          <ResponsiveContainer width="100%" height={Math.max(160, intentRows.length * 28)}>
            <BarChart data={intentRows} layout="vertical" margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={170} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v) => formatCount(Number(v), display.locale)} />
              <Bar dataKey="turns" name="Requests" fill="#2563eb" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
        <TableCard
          title="Catalog gaps: asked for, not found"
          table={{
            columns: [
              col.text<Gap>('said', 'What the shopper said', (g) => g.value),
              col.count<Gap>('requests', 'Requests', (g) => g.requests),
              col.count<Gap>('sessions', 'Sessions', (g) => g.sessions),
            ],
            rows: d.catalogGaps,
          }}
          filename="catalog-gaps"
        />
        <TableCard
          title={`How sessions ended (${formatCount(d.exitPoints.sessionsEnded, display.locale)} sessions)`}
          how="session_end_share"
          table={onScreen(exits, ['reason'])}
          csv={exits}
          filename="exit-points"
        />
        <LastPrompts table={prompts} />
        <TableCard
          title={`Turns to purchase (median ${formatNumber(ttp.median, 1, display.locale, 'no orders')}, 90th percentile ${formatNumber(ttp.p90, 1, display.locale, 'no orders')})`}
          how="turns_to_purchase"
          table={{
            columns: [
              col.count<Histogram>('turns', 'Requests until the order', (h) => h.turns),
              col.count<Histogram>('sessions', 'Sessions', (h) => h.sessions),
            ],
            rows: ttp.histogram,
          }}
          filename="turns-to-purchase"
        />
        <TableCard title="Skill response time" table={latency} filename="skill-latency" />
        <TableCard
          title="Rejected requests"
          how="rejected_requests"
          table={{
            columns: [
              col.text<Rejected>('reason_label', 'Why', (r) => rejectionLabel(r.reason, labelField(r))),
              col.count<Rejected>('rejected_requests', 'Requests', (r) => r.requests),
            ],
            rows: d.rejected,
          }}
          filename="rejected-requests"
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

/** The last prompts as words, each with its SSML behind a disclosure; the CSV has both. */
function LastPrompts({ table }: { table: TableModel<LastPrompt> }) {
  const display = useDisplay();
  return (
    <section className="card" aria-label="Last prompts before leaving">
      <header className="card-header">
        <h2 className="card-title">Last prompts before leaving</h2>
        {table.rows.length > 0 ? <CsvButton table={table} filename="last-prompts" /> : null}
      </header>
      {table.rows.length === 0 ? (
        <Empty title="Nothing in this range" />
      ) : (
        <TableWrap label="Last prompts">
          <table data-testid="last-prompts">
            <thead>
              <tr>
                <th scope="col">Last thing Alexa said</th>
                <th scope="col">How it ended</th>
                <th scope="col" className="num">
                  Sessions
                </th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((p, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one row per prompt and reason, in order
                <tr key={i}>
                  <td>
                    <Speech ssml={p.lastPrompt} />
                  </td>
                  <td>{exitReasonLabel(p.reason, labelField(p))}</td>
                  <td className="num">{formatCount(p.sessions, display.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
