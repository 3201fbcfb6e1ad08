export * from './allocation';
export * from './assignment';
export * from './definition';
export * from './lifecycle';
export * from './reallocate';
