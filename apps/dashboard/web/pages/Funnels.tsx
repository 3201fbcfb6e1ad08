import { EVENT_TYPES } from '@pitchline/core';
import { useState } from 'react';
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
import { Link } from '../components/Link';
import { Empty, ErrorState, Loading } from '../components/states';
import {
  BREAKDOWNS,
  type Breakdown,
  DEFAULT_STEPS,
  type FunnelRequest,
  useDropoffs,
  useFunnel,
} from '../lib/analytics';
import type { Table } from '../lib/csv';
import { formatDateTime, formatPercent } from '../lib/format';
import { useRange } from '../lib/range-context';

const WINDOWS = [
  { seconds: 600, label: '10 minutes' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '1 day' },
  { seconds: 7 * 86_400, label: '7 days' },
] as const;

const COLORS = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04'];

const groupLabel = (g: string) => (g === '' ? 'All' : g);

export default function Funnels() {
  const { range, timeZone } = useRange();
  const [steps, setSteps] = useState<string[]>([...DEFAULT_STEPS]);
  const [windowSeconds, setWindowSeconds] = useState(86_400);
  const [breakdown, setBreakdown] = useState<Breakdown>('none');
  const [drill, setDrill] = useState<{ step: number; group: string } | null>(null);
  const spec: FunnelRequest = {
    ...range,
    tz: timeZone,
    steps: steps.map((type) => ({ type })),
    windowSeconds,
    breakdown,
  };
  const funnel = useFunnel(spec);
  const setStep = (i: number, type: string) => {
    setSteps(steps.map((s, j) => (j === i ? type : s)));
    setDrill(null);
  };
  const removeStep = (i: number) => {
    setSteps(steps.filter((_, j) => j !== i));
    setDrill(null);
  };
  return (
    <>
      <h1>Funnels</h1>
      <section className="card" aria-label="Funnel definition">
        <ol className="step-builder">
          {steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional and may repeat a type
            <li key={i}>
              <label>
                <span className="visually-hidden">Step {i + 1}</span>
                <select value={s} onChange={(e) => setStep(i, e.target.value)} data-testid={`step-${i + 1}`}>
                  {EVENT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="link-button"
                disabled={steps.length <= 2}
                onClick={() => removeStep(i)}
                aria-label={`Remove step ${i + 1}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        <div className="form-row">
          <button
            type="button"
            disabled={steps.length >= 10}
            onClick={() => setSteps([...steps, steps[steps.length - 1] ?? 'session_start'])}
          >
            Add step
          </button>
          <button type="button" className="link-button" onClick={() => setSteps([...DEFAULT_STEPS])}>
            Reset to the voice sales funnel
          </button>
          <label>
            Window{' '}
            <select value={windowSeconds} onChange={(e) => setWindowSeconds(Number(e.target.value))}>
              {WINDOWS.map((w) => (
                <option key={w.seconds} value={w.seconds}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Breakdown{' '}
            <select
              value={breakdown}
              onChange={(e) => {
                setBreakdown(e.target.value as Breakdown);
                setDrill(null);
              }}
            >
              {BREAKDOWNS.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>
      {funnel.isPending ? (
        <Loading label="Computing the funnel…" />
      ) : funnel.error && !funnel.data ? (
        <ErrorState error={funnel.error} retry={() => void funnel.refetch()} />
      ) : funnel.data ? (
        <FunnelResults
          data={funnel.data.data}
          steps={steps}
          timeZone={timeZone}
          onDrill={(step, group) => setDrill({ step, group })}
        />
      ) : null}
      {drill ? <Dropoffs spec={spec} step={drill.step} group={drill.group} steps={steps} /> : null}
    </>
  );
}

type FunnelData = NonNullable<ReturnType<typeof useFunnel>['data']>['data'];

function FunnelResults({
  data,
  steps,
  timeZone,
  onDrill,
}: {
  data: FunnelData;
  steps: string[];
  timeZone: string;
  onDrill(step: number, group: string): void;
}) {
  const groups = data.funnel.groups;
  const entered = groups.reduce((n, g) => n + (g.steps[0]?.count ?? 0), 0);
  if (groups.length === 0 || entered === 0)
    return (
      <Empty title="No sessions entered this funnel in the range">
        Try a longer range or another first step.
      </Empty>
    );
  const chartRows = steps.map((type, i) => {
    const row: Record<string, string | number> = { step: `${i + 1}. ${type}` };
    for (const g of groups) row[groupLabel(g.group)] = g.steps[i]?.count ?? 0;
    return row;
  });
  const table: Table = {
    columns: ['Group', 'Step', 'Event', 'Reached', 'From previous', 'From first', 'Dropped', 'Median s'],
    rows: groups.flatMap((g) =>
      g.steps.map((s, i) => [
        groupLabel(g.group),
        i + 1,
        s.type,
        s.count,
        formatPercent(s.fromPrevious),
        formatPercent(s.fromFirst),
        s.dropOff,
        s.medianSeconds === null ? null : Math.round(s.medianSeconds),
      ]),
    ),
  };
  const days = [...new Set(data.overTime.days.map((d) => d.day))].sort();
  const overTimeRows = days.map((day) => {
    const row: Record<string, string | number> = { day };
    for (const d of data.overTime.days) if (d.day === day) row[groupLabel(d.group)] = d.conversion;
    return row;
  });
  const overTimeTable: Table = {
    columns: ['Day', 'Group', 'Entered', 'Converted', 'Conversion'],
    rows: data.overTime.days.map((d) => [
      d.day,
      groupLabel(d.group),
      d.entered,
      d.converted,
      formatPercent(d.conversion),
    ]),
  };
  return (
    <>
      <ChartCard title="Funnel" table={table} filename="funnel" description={`Source: ${data.funnel.source}`}>
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
                dataKey={groupLabel(g.group)}
                fill={COLORS[i % COLORS.length]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <section className="card" aria-label="Drop-offs">
        <h3>Where sessions dropped</h3>
        <div className="table-wrap">
          <table data-testid="funnel-steps">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Step</th>
                <th scope="col">Reached</th>
                <th scope="col">Conversion from previous</th>
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
                      <td>{groupLabel(g.group)}</td>
                      <td>
                        {i + 1}. {s.type}
                      </td>
                      <td>{s.count}</td>
                      <td>{formatPercent(s.fromPrevious)}</td>
                      <td>
                        {next && next.dropOff > 0 ? (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => onDrill(i + 1, g.group)}
                            data-testid={`drill-${i + 1}`}
                          >
                            {next.dropOff} sessions: show them
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
        </div>
      </section>
      <ChartCard title="Conversion over time" table={overTimeTable} filename="funnel-conversion-over-time">
        {overTimeRows.length === 0 ? (
          <Empty title="No days to show" />
        ) : (
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={overTimeRows} margin={{ top: 12, right: 16, bottom: 4, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tick={{ fontSize: 11 }} />
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

function Dropoffs({
  spec,
  step,
  group,
  steps,
}: {
  spec: FunnelRequest;
  step: number;
  group: string;
  steps: string[];
}) {
  const { timeZone } = useRange();
  const drop = useDropoffs(spec, step, group);
  return (
    <section className="card" aria-label="Dropped sessions" data-testid="dropoffs">
      <h3>
        Reached {step}. {steps[step - 1]} but not {step + 1}. {steps[step]}
        {group ? ` · ${group}` : ''}
      </h3>
      {drop.isPending ? (
        <Loading />
      ) : drop.error ? (
        <ErrorState error={drop.error} retry={() => void drop.refetch()} />
      ) : drop.data.data.length === 0 ? (
        <Empty title="No sessions dropped here" />
      ) : (
        <ul className="dropoff-list">
          {drop.data.data.map((u) => (
            <li key={u.unit}>
              <Link to={`/conversations/${encodeURIComponent(u.unit)}`} className="mono">
                {u.unit}
              </Link>{' '}
              <span className="muted">entered {formatDateTime(u.enteredAt, timeZone)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
