export { ConfigError, type Env, loadEnv } from './env';
export { listen } from './http-server';
export { createLogger } from './logger';
export { type Pitchline, startPitchline } from './pitchline';
