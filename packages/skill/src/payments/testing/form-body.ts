/**
 * Decodes the form bodies the Stripe SDK sends (`metadata[order_id]=…`, `line_items[0][quantity]=2`)
 * into nested objects, so a test can assert on what Stripe would have received.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(body: string): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = keyPath(key);
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i] as string;
      const existing = node[segment];
      if (existing === undefined || typeof existing === 'string' || Array.isArray(existing)) {
        const child: Record<string, FormValue> = {};
        node[segment] = child;
        node = child;
      } else {
        node = existing;
      }
    }
    node[path[path.length - 1] as string] = value;
  }
  return arraysFromIndexedObjects(root) as Record<string, FormValue>;
}

/** `a[b][0][c]` → ['a', 'b', '0', 'c']; `a[]` (arrays without indices) appends as index ''. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const segments = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1] ?? '');
  return segments;
}

function arraysFromIndexedObjects(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: Record<string, FormValue> = {};
  for (const k of keys) converted[k] = arraysFromIndexedObjects(value[k] as FormValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((i) => converted[String(i)] as FormValue);
  }
  return converted;
}
