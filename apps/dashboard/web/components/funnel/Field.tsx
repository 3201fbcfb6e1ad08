import { type ReactNode, useId } from 'react';

/**
 * A label tied to its control by id rather than by wrapping: a wrapping <label> makes Chromium append
 * the selected option to a select's accessible name ("Breakdown None"), so "Breakdown" would not name it.
 */
export function Field({
  label,
  hidden = false,
  children,
}: {
  label: string;
  /** Named for assistive technology only (e.g. a unit next to the number it belongs to). */
  hidden?: boolean;
  children(id: string): ReactNode;
}) {
  const id = useId();
  return (
    <span className="funnel-field">
      <label htmlFor={id} className={hidden ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {children(id)}
    </span>
  );
}
