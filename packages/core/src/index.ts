export * from './events';
export * from './ids';
export * from './money';
export * from './orders';
