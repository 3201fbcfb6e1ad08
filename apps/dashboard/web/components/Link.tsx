import type { AnchorHTMLAttributes } from 'react';
import { linkClick } from '../lib/router';

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  return <a href={to} onClick={linkClick(to)} {...rest} />;
}
