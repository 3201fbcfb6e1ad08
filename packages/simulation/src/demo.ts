/** The demo merchant's history: what a first start replays, and its lifecycle across starts. */
export { type DemoHistory, prepareDemoHistory } from './demo-lifecycle';
export { DEMO_HISTORY_CONFIG, seedDemoHistory } from './seed-demo';
