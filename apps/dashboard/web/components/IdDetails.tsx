import { useState } from 'react';

/**
 * An id kept out of the reading flow: a "details" disclosure that shows it and copies it. Ids are for
 * support tickets and API calls, not for reading.
 */
export function IdDetails({ id, what = 'id' }: { id: string; what?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <details className="id-details">
      <summary>details</summary>
      <span className="mono">
        {what}: {id}
      </span>{' '}
      <button
        type="button"
        className="link-button"
        onClick={() => {
          void navigator.clipboard?.writeText(id).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </details>
  );
}
