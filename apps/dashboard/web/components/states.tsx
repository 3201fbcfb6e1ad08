import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';

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

/**
 * A refused write, in the server's words: each field's 400 issue, or the refusal's message (a 409 reason).
 * `whole` names what an issue without a field path is about ("experiment"); without it, such an issue is
 * shown bare.
 */
export function FormError({ error, whole }: { error: Error; whole?: string }) {
  if (error instanceof ApiError && error.body.issues?.length) {
    return (
      <ul className="form-error" role="alert">
        {error.body.issues.map((issue) => {
          const where = issue.path.join(' › ') || whole;
          return (
            <li key={`${issue.path.join('.')}-${issue.message}`}>
              {where ? `${where}: ` : ''}
              {issue.message}
            </li>
          );
        })}
      </ul>
    );
  }
  return (
    <p className="form-error" role="alert">
      {error.message}
    </p>
  );
}
