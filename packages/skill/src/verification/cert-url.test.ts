import { describe, expect, it } from 'vitest';
import { checkCertUrl } from './cert-url';

describe('checkCertUrl', () => {
  it.each([
    [
      'https://s3.amazonaws.com/echo.api/echo-api-cert.pem',
      'https://s3.amazonaws.com/echo.api/echo-api-cert.pem',
    ],
    [
      'https://s3.amazonaws.com:443/echo.api/../echo.api/echo-api.pem',
      'https://s3.amazonaws.com/echo.api/echo-api.pem',
    ],
    ['https://S3.AMAZONAWS.COM/echo.api/c.pem', 'https://s3.amazonaws.com/echo.api/c.pem'],
    ['HTTPS://s3.amazonaws.com/echo.api/./c.pem', 'https://s3.amazonaws.com/echo.api/c.pem'],
  ])('accepts %s as %s', (raw, normalised) => {
    expect(checkCertUrl(raw)).toEqual({ ok: true, url: normalised });
  });

  it.each([
    ['https://s3.amazonaws.com/echo.api/../evil/cert.pem', /path \/evil\/cert.pem/],
    ['https://s3.amazonaws.com/echo.api/%2e%2e/evil/cert.pem', /path \/evil/],
    ['http://s3.amazonaws.com/echo.api/c.pem', /scheme http:/],
    ['https://s3.amazonaws.com:563/echo.api/c.pem', /port 563/],
    ['https://s3.amazonaws.com.evil.com/echo.api/c.pem', /host s3.amazonaws.com.evil.com/],
    ['https://evil.com/s3.amazonaws.com/echo.api/c.pem', /host evil.com/],
    ['https://s3.amazonaws.com/EcHo.aPi/c.pem', /path \/EcHo.aPi/],
    ['https://s3.amazonaws.com/echo.api', /path/],
    ['https://user:pw@s3.amazonaws.com/echo.api/c.pem', /credentials/],
    ['not a url', /does not parse/],
    ['', /empty/],
  ])('rejects %s', (raw, detail) => {
    const result = checkCertUrl(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toMatch(detail);
  });
});
