/**
 * Amazon's rules for `SignatureCertChainUrl`: https, host s3.amazonaws.com (case-insensitive), path
 * starting /echo.api/ once dot segments are resolved (case-sensitive), port 443 if any.
 */
export type CertUrlCheck = { ok: true; url: string } | { ok: false; detail: string };

const HOST = 's3.amazonaws.com';
const PATH_PREFIX = '/echo.api/';

export function checkCertUrl(raw: string): CertUrlCheck {
  if (raw.length === 0 || raw.length > 2048)
    return { ok: false, detail: 'certificate URL is empty or too long' };
  let url: URL;
  try {
    // The WHATWG parser lowercases the host, drops the default port and resolves `.`/`..` (also
    // their %2e spellings), which is exactly the normalisation Amazon asks for.
    url = new URL(raw);
  } catch {
    return { ok: false, detail: 'certificate URL does not parse' };
  }
  if (url.protocol !== 'https:') return { ok: false, detail: `scheme ${url.protocol} is not https` };
  if (url.hostname !== HOST) return { ok: false, detail: `host ${url.hostname} is not ${HOST}` };
  // An explicit :443 is removed by the parser as the https default; any other port remains.
  if (url.port !== '') return { ok: false, detail: `port ${url.port} is not 443` };
  if (url.username !== '' || url.password !== '') return { ok: false, detail: 'credentials in URL' };
  if (!url.pathname.startsWith(PATH_PREFIX)) {
    return { ok: false, detail: `path ${url.pathname.slice(0, 100)} is not under ${PATH_PREFIX}` };
  }
  return { ok: true, url: url.href };
}
