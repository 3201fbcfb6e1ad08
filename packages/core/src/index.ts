export * from './events';
export * from './experiments';
export * from './ids';
export * from './money';
export * from './orders';
export * from './pitch-template';
export * from './ssml';
export * as stats from './stats';
export * from './time-zone';
