import { type RangeQuery, useInsights, useRevenue } from '../../lib/analytics';
import { useExperiments } from '../../lib/experiments';
import type { FilterField } from '../../lib/funnel-url';
import { STATIC_SUGGESTIONS } from './fields';

/*
 * Value choices for the filter being added, as a <datalist>: the input still takes any text (a value
 * the app has not seen yet is still a valid filter). Each source is a separate component, mounted only
 * while its field is picked, so the queries behind it (insights, revenue) run only when useful; they
 * share their cache with the Insights and Revenue pages.
 */

type Option = { value: string; label?: string };

function Options({ id, options }: { id: string; options: Option[] }) {
  // One option per value (a variant key such as "a" recurs across experiments): the first label wins.
  const unique = options.filter((o, i) => options.findIndex((p) => p.value === o.value) === i);
  return (
    <datalist id={id}>
      {unique.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </datalist>
  );
}

function IntentOptions({ id, range }: { id: string; range: RangeQuery }) {
  const insights = useInsights(range);
  const intents = insights.data?.data.topIntents ?? [];
  return (
    <Options id={id} options={intents.map((i) => ({ value: i.intent, label: `${i.sessions} sessions` }))} />
  );
}

function ExperimentOptions({ id, field }: { id: string; field: 'experiment_key' | 'variant_key' }) {
  const experiments = useExperiments().data?.experiments ?? [];
  const options =
    field === 'experiment_key'
      ? experiments.map((e) => ({ value: e.key, label: e.name }))
      : experiments.flatMap((e) => e.variants.map((v) => ({ value: v.key, label: `${e.name}: ${v.name}` })));
  return <Options id={id} options={options} />;
}

function ProductOptions({ id, range }: { id: string; range: RangeQuery }) {
  // No catalog route yet: the products the app knows are those experiments pitch and those sold.
  const experiments = useExperiments().data?.experiments ?? [];
  const sold = useRevenue(range).data?.data.byProduct ?? [];
  const options: Option[] = [
    ...experiments.flatMap((e) =>
      e.scope.kind === 'product' ? [{ value: e.scope.productId, label: `pitched in ${e.name}` }] : [],
    ),
    ...sold.map((p) => ({ value: p.productId, label: `in ${p.sessions} paid carts` })),
  ];
  return <Options id={id} options={options} />;
}

export function ValueSuggestions({
  field,
  id,
  range,
}: {
  field: FilterField;
  id: string;
  range: RangeQuery;
}) {
  switch (field) {
    case 'intent':
      return <IntentOptions id={id} range={range} />;
    case 'experiment_key':
    case 'variant_key':
      return <ExperimentOptions id={id} field={field} />;
    case 'product_id':
      return <ProductOptions id={id} range={range} />;
    default:
      return <Options id={id} options={(STATIC_SUGGESTIONS[field] ?? []).map((value) => ({ value }))} />;
  }
}
