/** The demo merchant's history: what a first start replays, and its lifecycle across starts. */
export { type DemoHistory, prepareDemoHistory } from './demo-lifecycle';
export { DEMO_HISTORY_CONFIG, recordedDemoSessions, seedDemoHistory } from './seed-demo';
