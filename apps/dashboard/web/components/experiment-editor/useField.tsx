import { useId } from 'react';
import { type FieldPath, type FieldError as FieldProblem, get, useController } from 'react-hook-form';
import type { ExperimentFormValues } from './experiment-form';

/** Core words its own problems as clauses ("use 1–63 lower-case letters…"); the editor shows sentences. */
export function asSentence(message: string): string {
  const capital = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** A field's problem in words, shown beside the field (which names it in `aria-describedby`). */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <small id={id} className="form-error field-error">
      {asSentence(message)}
    </small>
  );
}

/**
 * One editor field, controlled by the form: its value and handlers, the accessibility attributes that
 * tie it to its help text and its problem, and the problem itself to render beside it. `problemAt`
 * reads the problem of a part of the value (the category of a scope) instead of the whole.
 */
export function useField<N extends FieldPath<ExperimentFormValues>>(
  name: N,
  options: { helpId?: string; problemAt?: string } = {},
) {
  const { field, fieldState } = useController<ExperimentFormValues, N>({ name });
  const errorId = useId();
  const problem: FieldProblem | undefined = options.problemAt
    ? get(fieldState.error, options.problemAt)
    : fieldState.error;
  const message = problem?.message;
  const describedBy = [options.helpId, message ? errorId : undefined].filter(Boolean).join(' ');
  return {
    field,
    message,
    aria: {
      'aria-invalid': message ? true : undefined,
      'aria-describedby': describedBy || undefined,
    },
    error: <FieldError id={errorId} message={message} />,
  };
}
