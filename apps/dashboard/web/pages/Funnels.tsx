import { useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartCard } from '../components/ChartCard';
import { Dropoffs } from '../components/funnel/Dropoffs';
import { type ApiIssue, FunnelBuilder } from '../components/funnel/FunnelBuilder';
import { describeFilter, UNIT_LABELS } from '../components/funnel/fields';
import { HowCalculated } from '../components/HowCalculated';
import { Empty, ErrorState, Loading } from '../components/states';
import { TableWrap } from '../components/TableWrap';
import type { Breakdown } from '../lib/analytics';
import { useFunnel } from '../lib/analytics';
import { ApiError } from '../lib/api';
import { formatCount, formatCountOf, formatPercent, formatShortLocalDate } from '../lib/format';
import {
  type FunnelStepState,
  type FunnelUnit,
  funnelRequest,
  parseFunnelSearch,
  serializeFunnel,
} from '../lib/funnel-url';
import { eventLabel, humanize, unnamed, variantKeyLabel } from '../lib/labels';
import { fullSearch, pushSearch, useLocationSearch } from '../lib/location-search';
import type { MetricId } from '../lib/metrics';
import { useRange } from '../lib/range-context';
import { col, type TableModel } from '../lib/table';
import { useTitle } from '../lib/title';
import { withoutSharedState } from '../lib/url-state';
import { useDisplay } from '../lib/use-display';

const COLORS = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04'];

/**
 * A breakdown group in words: the API's label when it sends one (issue 12), else from the key
 * ("yirgacheffe-pitch:b" → "Yirgacheffe pitch: variant b"; a product id → "Product …3f2a").
 */
function groupName(group: string, breakdown: Breakdown, row?: object): string {
  const label = row
    ? ((row as { label?: unknown; name?: unknown }).label ?? (row as { name?: unknown }).name)
    : undefined;
  if (typeof label === 'string' && label !== '') return label;
  if (group === '') return breakdown === 'none' ? 'All' : 'None';
  switch (breakdown) {
    case 'variant':
      return variantKeyLabel(group);
    case 'experiment':
      return humanize(group);
    case 'product':
      return unnamed('Product', group);
    default:
      return group;
  }
}
const stepName = (s: FunnelStepState | undefined, i: number, apiLabel?: unknown) =>
  s ? `${i + 1}. ${eventLabel(s.type, apiLabel)}${s.filters.length > 0 ? ' (filtered)' : ''}` : `${i + 1}.`;
const stepLabelOf = (row: object | undefined): unknown => (row as { label?: unknown } | undefined)?.label;

/** The catalogue metric an unfiltered step of a session funnel is (the voice sales funnel's steps). */
const STEP_METRICS: Partial<Record<string, MetricId>> = {
  session_start: 'sessions',
  pitch_exposure: 'pitched_sessions',
  cart_add: 'cart_sessions',
  order_confirmed: 'ordered_sessions',
  payment_succeeded: 'paid_sessions',
};

/** The API's answer to a definition it refused: its zod issues, shown beside the builder. */
function refusal(error: unknown): ApiIssue[] | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const issues = Array.isArray(error.body.issues) ? error.body.issues : [];
  return issues.length > 0 ? issues : [{ path: [], message: error.message }];
}

export default function Funnels() {
  useTitle('Funnels');
  const { range, timeZone } = useRange();
  // The funnel shown is the one in the address: shared links, bookmarks and the back button all work.
  const search = useLocationSearch();
  // The funnel's own parameters: its length limit is not the shared range's to spend.
  const parsed = useMemo(() => parseFunnelSearch(withoutSharedState(search)), [search]);
  const applied = parsed.state;
  const spec = funnelRequest(applied, { ...range, tz: timeZone });
  const funnel = useFunnel(spec);
  const issues = refusal(funnel.error);
  // A drill-down belongs to the funnel it was opened on; another address closes it.
  const [drill, setDrill] = useState<{ step: number; group: string; search: string; total: number } | null>(
    null,
  );
  const openDrill = drill?.search === search ? drill : null;
  return (
    <>
      <h1>Funnels</h1>
      <FunnelBuilder
        key={search}
        applied={parsed}
        range={{ ...range, tz: timeZone }}
        issues={issues}
        onRun={(state) => {
          const next = serializeFunnel(state);
          // Running the funnel already shown (e.g. after a failure) asks again instead of doing nothing.
          if (fullSearch(next) === search) void funnel.refetch();
          else pushSearch(next);
        }}
      />
      {funnel.isPending ? (
        <Loading label="Computing the funnel…" />
      ) : issues ? null : funnel.error && !funnel.data ? (
        <ErrorState error={funnel.error} retry={() => void funnel.refetch()} />
      ) : funnel.data ? (
        <FunnelResults
          data={funnel.data.data}
          steps={applied.steps}
          unit={applied.unit}
          breakdown={applied.breakdown}
          timeZone={timeZone}
          onDrill={(step, group, total) => setDrill({ step, group, search, total })}
        />
      ) : null}
      {openDrill ? (
        <Dropoffs
          spec={spec}
          step={openDrill.step}
          group={openDrill.group}
          total={openDrill.total}
          title={`Reached ${stepName(applied.steps[openDrill.step - 1], openDrill.step - 1)} but not ${stepName(applied.steps[openDrill.step], openDrill.step)}${openDrill.group ? ` · ${groupName(openDrill.group, spec.breakdown)}` : ''}`}
        />
      ) : null}
    </>
  );
}

type FunnelData = NonNullable<ReturnType<typeof useFunnel>['data']>['data'];
type FunnelStep = FunnelData['funnel']['groups'][number]['steps'][number];

function FunnelResults({
  data,
  steps,
  unit,
  breakdown,
  timeZone,
  onDrill,
}: {
  data: FunnelData;
  steps: FunnelStepState[];
  unit: FunnelUnit;
  breakdown: Breakdown;
  timeZone: string;
  onDrill(step: number, group: string, total: number): void;
}) {
  const display = useDisplay();
  const unitWord = UNIT_LABELS[unit].plural;
  const groups = data.funnel.groups;
  const groupLabel = (g: string, row?: object) => groupName(g, breakdown, row);
  const entered = groups.reduce((n, g) => n + (g.steps[0]?.count ?? 0), 0);
  if (groups.length === 0 || entered === 0)
    return (
      <Empty title={`No ${unitWord} entered this funnel in the range`}>
        Try a longer range, another first step or fewer filters.
      </Empty>
    );
  const chartRows = steps.map((s, i) => {
    const row: Record<string, string | number> = { step: stepName(s, i, stepLabelOf(groups[0]?.steps[i])) };
    for (const g of groups) row[groupLabel(g.group, g)] = g.steps[i]?.count ?? 0;
    return row;
  });
  type StepRow = FunnelStep & { group: string; step: number; label: string; filters: string };
  const stepRows: StepRow[] = groups.flatMap((g) =>
    g.steps.map((s, i) => ({
      ...s,
      group: groupLabel(g.group, g),
      step: i + 1,
      label: eventLabel(s.type, stepLabelOf(s)),
      filters: (steps[i]?.filters ?? []).map(describeFilter).join('; '),
    })),
  );
  const table: TableModel<StepRow> = {
    columns: [
      col.text<StepRow>('group', 'Group', (r) => r.group),
      col.count<StepRow>('step', 'Step', (r) => r.step),
      col.text<StepRow>('step_label', 'What happened', (r) => r.label),
      col.text<StepRow>('event', 'Event', (r) => r.type),
      col.text<StepRow>('filters', 'Filters', (r) => r.filters),
      col.count<StepRow>('reached', 'Reached', (r) => r.count),
      col.ratio<StepRow>('from_previous', 'From previous', (r) => r.fromPrevious),
      col.ratio<StepRow>('from_first', 'From first', (r) => r.fromFirst),
      col.count<StepRow>('dropped', 'Dropped', (r) => r.dropOff),
      col.ms<StepRow>('median_time_to_step', 'Median time to step', (r) =>
        r.medianSeconds === null ? null : r.medianSeconds * 1000,
      ),
    ],
    rows: stepRows,
  };
  const days = [...new Set(data.overTime.days.map((d) => d.day))].sort();
  const overTimeRows = days.map((day) => {
    const row: Record<string, string | number> = { day };
    for (const d of data.overTime.days) if (d.day === day) row[groupLabel(d.group)] = d.conversion;
    return row;
  });
  type DayRow = FunnelData['overTime']['days'][number];
  const overTimeTable: TableModel<DayRow> = {
    columns: [
      col.date<DayRow>('day', 'Day', (d) => d.day),
      col.text<DayRow>('group', 'Group', (d) => groupLabel(d.group)),
      col.count<DayRow>('entered', 'Entered', (d) => d.entered),
      col.count<DayRow>('converted', 'Converted', (d) => d.converted),
      col.ratio<DayRow>('conversion', 'Conversion', (d) => d.conversion),
    ],
    rows: data.overTime.days,
  };
  return (
    <>
      <ChartCard
        title="Funnel"
        table={table}
        filename="funnel"
        description={
          <>
            The first step counts every {unit === 'session' ? 'session' : 'shopper'} that did it in the range
            <HowCalculated metric={unit === 'session' ? 'sessions' : 'shoppers'} />; each later step only
            those that went on within the window.
          </>
        }
      >
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={chartRows} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="step" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            {groups.length > 1 ? <Legend /> : null}
            {groups.map((g, i) => (
              <Bar
                key={g.group}
                dataKey={groupLabel(g.group, g)}
                fill={COLORS[i % COLORS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <section className="card" aria-label="Drop-offs">
        <h2 className="card-title">Where {unitWord} dropped</h2>
        <TableWrap label="Funnel steps">
          <table data-testid="funnel-steps">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Step</th>
                <th scope="col" className="num">
                  Reached
                </th>
                <th scope="col" className="num">
                  Conversion from previous
                </th>
                <th scope="col">Dropped before next</th>
              </tr>
            </thead>
            <tbody>
              {groups.flatMap((g) =>
                g.steps.map((s, i) => {
                  const next = g.steps[i + 1];
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional and may repeat a type
                    <tr key={`${g.group}-${i}`}>
                      <td>{groupLabel(g.group, g)}</td>
                      <td>
                        {i + 1}. {eventLabel(s.type, stepLabelOf(s))}
                        {(() => {
                          const metric = STEP_METRICS[s.type];
                          return unit === 'session' && metric && !steps[i]?.filters.length ? (
                            <HowCalculated metric={metric} />
                          ) : null;
                        })()}
                        {steps[i]?.filters.length ? (
                          <span className="muted"> · {steps[i]?.filters.map(describeFilter).join('; ')}</span>
                        ) : null}
                      </td>
                      <td className="num">{formatCount(s.count, display.locale)}</td>
                      <td className="num">{formatPercent(s.fromPrevious, 1, display.locale)}</td>
                      <td>
                        {next && next.dropOff > 0 ? (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => onDrill(i + 1, g.group, next.dropOff)}
                            data-testid={`drill-${i + 1}`}
                          >
                            {formatCountOf(next.dropOff, UNIT_LABELS[unit], display.locale)}:{' '}
                            {next.dropOff === 1 ? 'show it' : 'show them'}
                          </button>
                        ) : next ? (
                          0
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <ChartCard title="Conversion over time" table={overTimeTable} filename="funnel-conversion-over-time">
        {overTimeRows.length === 0 ? (
          <Empty title="No days to show" />
        ) : (
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={overTimeRows} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="day"
                tick={{ fontSize: 11 }}
                tickFormatter={(d) => formatShortLocalDate(String(d), display.locale)}
              />
              <YAxis tickFormatter={(v) => formatPercent(Number(v), 0)} />
              <Tooltip formatter={(v) => formatPercent(Number(v))} />
              {groups.length > 1 ? <Legend /> : null}
              {groups.map((g, i) => (
                <Line
                  key={g.group}
                  dataKey={groupLabel(g.group)}
                  stroke={COLORS[i % COLORS.length]}
                  dot={false}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </ChartCard>
      <p className="visually-hidden">Times are in {timeZone}.</p>
    </>
  );
}
