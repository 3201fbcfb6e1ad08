import { Link } from '../components/Link';
import { useTitle } from '../lib/title';

/** A mistyped or stale address (or a link to something since deleted): says so and offers the way back. */
export default function NotFound({ path = window.location.pathname }: { path?: string }) {
  useTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <div className="state empty" data-testid="not-found">
        <p>
          Nothing lives at <code className="mono">{path}</code>. The address may be mistyped, or the page
          moved.
        </p>
        <p>
          <Link to="/">Go to the overview</Link>, or pick a page from the menu.
        </p>
      </div>
    </>
  );
}
