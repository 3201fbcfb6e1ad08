import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { Layout } from './components/Layout';
import { ErrorState, Loading } from './components/states';
import { RangeProvider } from './lib/range-context';
import { match, navigate, usePath } from './lib/router';
import { SessionGate, useMe } from './lib/session';
import { Login } from './pages/Login';

// Pages load on demand: the login page and the shell stay small, charts come with the pages that draw them.
const Overview = lazy(() => import('./pages/Overview'));
const Experiments = lazy(() => import('./pages/Experiments'));
const ExperimentEditor = lazy(() => import('./pages/ExperimentEditor'));
const ExperimentDetail = lazy(() => import('./pages/ExperimentDetail'));
const Settings = lazy(() => import('./pages/Settings'));
const NotFound = lazy(() => import('./pages/NotFound'));
const Funnels = lazy(() => import('./pages/Funnels'));
const Conversations = lazy(() => import('./pages/Conversations'));
const Revenue = lazy(() => import('./pages/Revenue'));
const Insights = lazy(() => import('./pages/Insights'));
const Alerts = lazy(() => import('./pages/Alerts'));
// One-time links are opened signed out (or as someone else): they render outside the session gate.
const AcceptInvite = lazy(() => import('./pages/AcceptInvite'));
const ResetPassword = lazy(() => import('./pages/ResetPassword'));

function route(path: string): ReactNode {
  if (path === '/') return <Overview />;
  if (path === '/experiments') return <Experiments />;
  if (path === '/experiments/new') return <ExperimentEditor />;
  const edit = match('/experiments/:id/edit', path);
  if (edit?.id) return <ExperimentEditor id={edit.id} />;
  const detail = match('/experiments/:id', path);
  if (detail?.id) return <ExperimentDetail id={detail.id} />;
  if (path === '/settings') return <Settings />;
  if (path === '/funnels') return <Funnels />;
  if (path === '/revenue') return <Revenue />;
  if (path === '/conversations') return <Conversations />;
  const conversation = match('/conversations/:id', path);
  if (conversation?.id) return <Conversations key={conversation.id} sessionId={conversation.id} />;
  if (path === '/insights') return <Insights />;
  if (path === '/alerts') return <Alerts />;
  return <NotFound path={path} />;
}

function SignedIn({ path }: { path: string }) {
  const me = useMe();
  useEffect(() => {
    if (path === '/login') navigate('/', { replace: true });
  }, [path]);
  return (
    <RangeProvider timeZone={me.merchant.timezone}>
      <Layout path={path}>
        <Suspense fallback={<Loading />}>{route(path)}</Suspense>
      </Layout>
    </RangeProvider>
  );
}

export function App() {
  const path = usePath();
  if (path === '/invite' || path === '/reset') {
    return (
      <Suspense fallback={<Loading />}>{path === '/invite' ? <AcceptInvite /> : <ResetPassword />}</Suspense>
    );
  }
  return (
    <SessionGate
      loading={<Loading label="Opening Pitchline…" />}
      signedIn={<SignedIn path={path} />}
      signedOut={<Login />}
      failed={(error, retry) => <ErrorState error={error} retry={retry} />}
    />
  );
}
