import type { ReactNode } from 'react';
import { useLogout, useMe } from '../lib/session';
import { DateRangePicker } from './DateRangePicker';
import { Link } from './Link';

export const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/funnels', label: 'Funnels' },
  { to: '/experiments', label: 'Experiments' },
  { to: '/revenue', label: 'Revenue' },
  { to: '/conversations', label: 'Conversations' },
  { to: '/insights', label: 'Voice insights' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/settings', label: 'Settings' },
] as const;

const isCurrent = (to: string, path: string) => (to === '/' ? path === '/' : path.startsWith(to));

export function Layout({ path, children }: { path: string; children: ReactNode }) {
  const me = useMe();
  const logout = useLogout();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Pitchline</span>
        <span className="merchant">{me.merchant.name}</span>
        <DateRangePicker />
        {/* Who is signed in and Sign out wrap together, so a narrow bar never strands the button alone. */}
        <span className="account">
          <span className="who">
            {me.member?.email ?? 'API key'} · {me.role}
          </span>
          <button type="button" className="link-button" onClick={() => logout.mutate()}>
            Sign out
          </button>
        </span>
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={isCurrent(item.to, path) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
