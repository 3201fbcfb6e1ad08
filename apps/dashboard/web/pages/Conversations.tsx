import { type FormEvent, useState } from 'react';
import { useConversationsUrl } from '../components/conversations/conversations-url';
import { SessionSearch } from '../components/conversations/SessionSearch';
import { shortId } from '../components/conversations/session-labels';
import { TranscriptView } from '../components/conversations/TranscriptView';
import { Link } from '../components/Link';
import { navigate } from '../lib/router';
import { useTitle } from '../lib/title';

/** The session search, or one session's transcript; either way a session can be opened by its id. */
export default function Conversations({ sessionId }: { sessionId?: string }) {
  useTitle(sessionId ? `Conversation ${shortId(sessionId)}` : undefined, 'Conversations');
  const url = useConversationsUrl();
  const [typed, setTyped] = useState(sessionId ?? '');
  const open = (e: FormEvent) => {
    e.preventDefault();
    const id = typed.trim();
    if (id) navigate(url.transcriptPath(id));
  };
  return (
    <>
      <h1>Conversations</h1>
      <form className="form-row" onSubmit={open} aria-label="Open a session">
        <label>
          Session id{' '}
          <input
            className="mono"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="amzn1.echo-api.session…"
            size={44}
            data-testid="session-id"
          />
        </label>
        <button type="submit">Open transcript</button>
      </form>
      {sessionId ? (
        <>
          <p>
            <Link to={url.searchPath}>← Back to the session search</Link>
          </p>
          <TranscriptView sessionId={sessionId} />
        </>
      ) : (
        <SessionSearch
          applied={url.criteria}
          onApply={url.applyCriteria}
          transcriptPath={url.transcriptPath}
        />
      )}
    </>
  );
}
