import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Hono } from 'hono';

/** Paths the SPA must never answer, so an unknown API path stays a 404 and not an HTML page. */
export const SPA_RESERVED_PREFIXES = [
  '/api',
  '/alexa',
  '/webhooks',
  '/pay',
  '/healthz',
  '/readyz',
  '/metrics',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function respond(method: string, body: Uint8Array, headers: Record<string, string>): Response {
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/*
 * What a request for a file looks like: a web file's extension. App routes may hold dots too (an
 * Alexa session id is `amzn1.echo-api.session.<uuid>`), so "has an extension" alone would 404 a
 * transcript's reload; only these extensions make a missing path a 404 instead of the app shell.
 */
const FILE_EXTENSIONS = new Set([
  ...Object.keys(TYPES),
  '.map',
  '.mjs',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.woff',
  '.ttf',
  '.otf',
  '.xml',
  '.webmanifest',
  '.wasm',
  '.gz',
  '.br',
  '.php',
  '.env',
]);

/** A path asking for a file (kept a real 404 when missing), as opposed to a page of the app. */
export function looksLikeFile(relative: string): boolean {
  return relative.startsWith('/assets/') || FILE_EXTENSIONS.has(path.posix.extname(relative).toLowerCase());
}

const reserved = (p: string) => SPA_RESERVED_PREFIXES.some((r) => p === r || p.startsWith(`${r}/`));

/**
 * Serves the built dashboard: files from `distDir`, and index.html for any other GET of a page
 * (client-side routes like /experiments/123). Mount it after every other route. Hashed files under
 * /assets are cached for good; index.html is revalidated each time so a deploy shows at once.
 */
export function createSpaRoutes(options: { distDir: string }) {
  const root = path.resolve(options.distDir);
  const app = new Hono();
  app.use('*', async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || reserved(c.req.path)) return next();

    let relative: string;
    try {
      relative = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('bad path', 400);
    }
    const file = path.resolve(root, `.${path.posix.normalize(relative)}`);
    // normalize() already folds "..", and the prefix check keeps any leftover trick inside dist.
    if (file.startsWith(`${root}${path.sep}`) && !relative.includes('\0')) {
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) {
        const body = await readFile(file);
        const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
        const immutable = relative.startsWith('/assets/');
        return respond(method, body, {
          'content-type': type,
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
          'x-content-type-options': 'nosniff',
        });
      }
    }
    // A missing hashed asset or web file is a real 404, not the app shell.
    if (looksLikeFile(relative)) return next();

    const index = await readFile(path.join(root, 'index.html')).catch(() => null);
    if (!index) {
      return c.text(
        'The dashboard is not built. Run `npm run build -w @pitchline/dashboard` (npm start does it).',
        503,
      );
    }
    return respond(method, index, {
      'content-type': TYPES['.html'] ?? 'text/html',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      // The shell frames nothing and is framed by nothing.
      'x-frame-options': 'DENY',
    });
  });
  return app;
}
