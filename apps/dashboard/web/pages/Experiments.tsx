import { Link } from '../components/Link';
import { Empty, ErrorState, Loading } from '../components/states';
import { TableWrap } from '../components/TableWrap';
import { STATUS_LABELS, useExperiments } from '../lib/experiments';
import { formatDateTime, localeFor } from '../lib/format';
import { humanize } from '../lib/labels';
import { canWrite, useMe } from '../lib/session';
import { useTitle } from '../lib/title';
import { Verdict } from './Verdict';

export default function Experiments() {
  useTitle('Experiments');
  const me = useMe();
  const list = useExperiments();
  return (
    <>
      <div className="page-title">
        <h1>Experiments</h1>
        {canWrite(me) ? (
          <Link to="/experiments/new" className="button primary">
            New experiment
          </Link>
        ) : null}
      </div>
      {list.isPending ? <Loading /> : null}
      {list.error ? <ErrorState error={list.error} retry={() => void list.refetch()} /> : null}
      {list.data && list.data.experiments.length === 0 ? (
        <Empty title="No experiments yet">
          {canWrite(me)
            ? 'Create one to compare two spoken pitches.'
            : 'An owner of this account can create one.'}
        </Empty>
      ) : null}
      {list.data && list.data.experiments.length > 0 ? (
        <TableWrap label="Experiments">
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Experiment</th>
                <th scope="col">Status</th>
                <th scope="col">Verdict</th>
                <th scope="col">Variants</th>
                <th scope="col">Primary metric</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {list.data.experiments.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/experiments/${e.id}`}>{e.name}</Link>
                    <div className="muted mono">{e.key}</div>
                  </td>
                  <td>
                    <span className={`badge status-${e.status}`}>{STATUS_LABELS[e.status]}</span>
                  </td>
                  <td>
                    {e.startedAt ? (
                      <Verdict
                        id={e.id}
                        compact
                        variantNames={Object.fromEntries(e.variants.map((v) => [v.key, v.name]))}
                      />
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{e.variants.length}</td>
                  <td>{humanize(e.primaryMetric)}</td>
                  <td>
                    {e.startedAt
                      ? formatDateTime(e.startedAt, me.merchant.timezone, localeFor(me.merchant))
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}
