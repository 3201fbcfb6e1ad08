import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="state error" role="alert">
      <strong>Something went wrong</strong>
      <div>{message}</div>
      {retry ? (
        <button type="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/**
 * The explicit state of a page whose API route is not there yet: says so, rather than showing
 * numbers that were made up.
 */
export function NotAvailableYet({ what }: { what: string }) {
  return (
    <div className="state empty" data-testid="not-available">
      <strong>Not available yet</strong>
      <div>{what} will appear here once the dashboard API serves it.</div>
    </div>
  );
}
