import { useState } from 'react';
import { formatDateTime } from '../../lib/format';

/**
 * A freshly made one-time link (invite, password reset): shown once, as text to select and a copy
 * button, with when it stops working. Only its hash is kept on the server, so it cannot be shown again.
 */
export function OneTimeLink({
  label,
  path,
  token,
  expiresAt,
  timeZone,
}: {
  label: string;
  path: '/invite' | '/reset';
  token: string;
  expiresAt: string;
  timeZone: string;
}) {
  const url = `${window.location.origin}${path}?token=${encodeURIComponent(token)}`;
  const [copied, setCopied] = useState(false);
  const copy = () => {
    // The clipboard API needs a secure context; on plain http the text field stays to copy by hand.
    void navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="warning one-time-link" role="status">
      <p>
        {label} Works once, until {formatDateTime(expiresAt, timeZone)}; it is not shown again.
      </p>
      <input
        readOnly
        value={url}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        data-testid="one-time-link"
      />{' '}
      <button type="button" onClick={copy}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}
