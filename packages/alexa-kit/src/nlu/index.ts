export * from './builtin-phrases';
export * from './entity-resolution';
export * from './normalize';
export * from './request-envelope';
export * from './text-matcher';
