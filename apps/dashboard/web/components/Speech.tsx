import { speechText } from '../lib/speech';

/** What Alexa said, as words; the SSML it was sent as is one click away. */
export function Speech({ ssml, className }: { ssml: string | null | undefined; className?: string }) {
  const text = speechText(ssml);
  return (
    <span className={className ? `speech ${className}` : 'speech'}>
      {/* Its own element, so the words can be found (and selected) apart from the SSML. */}
      {text ? <span className="speech-text">{text}</span> : <span className="muted">(silence)</span>}
      {ssml ? (
        <details className="raw-ssml">
          <summary>SSML</summary>
          <pre className="ssml">{ssml}</pre>
        </details>
      ) : null}
    </span>
  );
}
