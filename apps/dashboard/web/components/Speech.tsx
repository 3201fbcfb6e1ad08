import { speechText } from '../lib/speech';

/** What Alexa said, as words; the SSML it was sent as is one click away. */
export function Speech({ ssml, className }: { ssml: string | null | undefined; className?: string }) {
  const text = speechText(ssml);
  return (
    <span className={className ? `speech ${className}` : 'speech'}>
      {text || <span className="muted">(silence)</span>}
      {ssml ? (
        <details className="raw-ssml">
          <summary>SSML</summary>
          <pre className="ssml">{ssml}</pre>
        </details>
      ) : null}
    </span>
  );
}
