import { renderPitch } from '@pitchline/core/pitch-template';
import { ssmlToPlainText } from '@pitchline/core/ssml';
import { useEffect, useMemo, useState } from 'react';
import type { Me } from '../../lib/session';

const speechAvailable = () => typeof window !== 'undefined' && 'speechSynthesis' in window;

/**
 * Renders the pitch with sample catalog values through core's own renderer, then speaks its plain
 * text with the browser's voice: an approximation of Alexa that still catches clumsy wording.
 */
export function SpokenPreview({ template, valid, me }: { template: string; valid: boolean; me: Me }) {
  const [speaking, setSpeaking] = useState(false);
  useEffect(
    () => () => {
      if (speechAvailable()) window.speechSynthesis.cancel();
    },
    [],
  );
  const text = useMemo(() => {
    if (!valid) return null;
    try {
      const ssml = renderPitch(
        template,
        {
          product: 'Ethiopian Yirgacheffe',
          price: { amount: 1899, currency: me.merchant.currency },
          discount: { percent: 15 },
          category: 'single origin coffee',
          merchant: me.merchant.name,
        },
        { locale: 'en-US' },
      );
      return ssmlToPlainText(ssml);
    } catch (error) {
      return `(cannot render: ${(error as Error).message})`;
    }
  }, [template, valid, me.merchant.currency, me.merchant.name]);
  if (!text) return null;
  const speak = () => {
    const synth = window.speechSynthesis;
    synth.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = 'en-US';
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(utterance);
  };
  return (
    <div className="preview">
      <span className="muted">Sounds like: </span>
      <q>{text}</q>{' '}
      {speechAvailable() ? (
        <button type="button" className="link-button" onClick={speak} disabled={speaking}>
          {speaking ? 'Speaking…' : '▶ Listen'}
        </button>
      ) : null}
    </div>
  );
}
