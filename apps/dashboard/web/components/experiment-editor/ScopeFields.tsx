import type { ExperimentScope, ExperimentScopeKind } from '@pitchline/core/experiments/definition';
import { useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { ExperimentFormValues } from './experiment-form';
import { useField } from './useField';

function scopeOf(kind: ExperimentScopeKind, text: string): ExperimentScope {
  switch (kind) {
    case 'launch':
      return { kind: 'launch' };
    case 'category':
      return { kind: 'category', category: text };
    case 'product':
      return { kind: 'product', productId: text };
  }
}

const textOf = (scope: ExperimentScope) =>
  scope.kind === 'category' ? scope.category : scope.kind === 'product' ? scope.productId : '';

/**
 * Where the pitch under test is spoken: the launch pitch, a category's or a product's. The text typed
 * for a category or a product is kept while the kind changes, so picking the wrong kind loses nothing.
 */
export function ScopeFields({ locked }: { locked: boolean }) {
  const kind = useWatch<ExperimentFormValues, 'scope.kind'>({ name: 'scope.kind' });
  const scope = useField('scope', { problemAt: kind === 'product' ? 'productId' : 'category' });
  const { value, onChange, onBlur, ref } = scope.field;
  const [text, setText] = useState(() => textOf(value));
  return (
    <>
      <label>
        Where
        <select
          // Problems are the category's or the product's: a failed save focuses that input, if shown.
          ref={value.kind === 'launch' ? ref : undefined}
          value={value.kind}
          onChange={(e) => onChange(scopeOf(e.target.value as ExperimentScopeKind, text))}
          onBlur={onBlur}
          disabled={locked}
        >
          <option value="launch">Launch pitch</option>
          <option value="category">A category</option>
          <option value="product">A product</option>
        </select>
      </label>
      {value.kind !== 'launch' ? (
        <label>
          {value.kind === 'category' ? 'Category' : 'Product id'}
          <input
            ref={ref}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              onChange(scopeOf(value.kind, e.target.value));
            }}
            onBlur={onBlur}
            required
            disabled={locked}
            {...scope.aria}
          />
          {scope.error}
        </label>
      ) : null}
    </>
  );
}
