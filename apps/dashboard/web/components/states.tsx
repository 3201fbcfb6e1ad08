import type { ReactNode } from 'react';
import { ApiError } from '../lib/api';
import { plainIssue } from '../lib/issue-words';

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
 * A refused write, in plain words: each 400 issue as a sentence about its field ("Variant 1 weight must be
 * at least 1."; lib/issue-words.ts), or the refusal's message (a 409 reason). `whole` names what an issue
 * without a field path is about ("experiment").
 */
export function FormError({ error, whole }: { error: Error; whole?: string }) {
  if (error instanceof ApiError && error.body.issues?.length) {
    const sentences = [...new Set(error.body.issues.map((issue) => plainIssue(issue, whole)))];
    return (
      // The alert wraps the list: a role on the <ul> itself would hide that its items are a list.
      <div role="alert">
        <ul className="form-error">
          {sentences.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <p className="form-error" role="alert">
      {error.message}
    </p>
  );
}
