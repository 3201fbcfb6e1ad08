import type { Plugin } from 'vite';

/**
 * The inline scripts of an HTML page: `<script>` elements without `src`, and `on…=` event-handler
 * attributes. The server's Content-Security-Policy (`script-src 'self'`) would block either, so the
 * page would break in the browser; the build says so instead.
 */
export function inlineScripts(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attributes = match[1] ?? '';
    if (!/\ssrc\s*=/i.test(` ${attributes}`)) found.push(match[0].slice(0, 80));
  }
  for (const match of html.matchAll(/<[a-z][^>]*\s(on[a-z]+)\s*=/gi)) found.push(`${match[1]}= attribute`);
  for (const match of html.matchAll(/\b(?:href|src)\s*=\s*["']?\s*javascript:/gi)) found.push(match[0]);
  return found;
}

/** Fails the build when the emitted index.html carries an inline script (see inlineScripts). */
export function noInlineScript(): Plugin {
  return {
    name: 'pitchline-no-inline-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const inline = inlineScripts(html);
        if (inline.length > 0) {
          throw new Error(
            `index.html has inline script, which the Content-Security-Policy blocks: ${inline.join('; ')}`,
          );
        }
        return html;
      },
    },
  };
}
