import type { AnchorHTMLAttributes } from 'react';
import { useLocationSearch } from '../lib/location-search';
import { linkClick } from '../lib/router';
import { pathWithSharedState } from '../lib/url-state';

/** An in-app link whose address keeps the shared range, so "copy link" and a new tab show the same days. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const search = useLocationSearch();
  return <a href={pathWithSharedState(to, search)} onClick={linkClick(to)} {...rest} />;
}
