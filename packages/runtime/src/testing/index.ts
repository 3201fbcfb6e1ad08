export * from './deployable-process';
export * from './prepared-stores';
