export * from './compose';
export * from './deployable-process';
export * from './prepared-stores';
