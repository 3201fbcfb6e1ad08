import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEMO_EXPERIMENT, simulatorConfigSchema } from '@pitchline/simulation';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './cli-args';

const simulatorDir = path.resolve(import.meta.dirname, '..');
const EXAMPLE = path.join(simulatorDir, 'sim.example.json');

describe('sim.example.json', () => {
  it('is a valid simulator config that names every setting it shows', async () => {
    const raw = JSON.parse(await readFile(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const config = simulatorConfigSchema.parse(raw);
    // What the file says is what a run gets (no key silently dropped or defaulted over).
    for (const [key, value] of Object.entries(raw)) {
      expect(config[key as keyof typeof config], key).toEqual(value);
    }
    // Its experiment is the demo one, so a live run reads the variants the server's demo experiment
    // assigns against the same truths (the key is what the shoppers match what they heard by).
    expect(config.experiment).toEqual(DEMO_EXPERIMENT);
  });
});

describe('simulate arguments', () => {
  it('lets flags override the config file, and the file the defaults', async () => {
    const { config, url } = await parseCliArgs(
      ['--config', 'sim.example.json', '--shoppers', '7', '--url', 'http://127.0.0.1:4000/'],
      simulatorDir,
    );
    expect(config.shoppers).toBe(7);
    expect(config.seed).toBe('example');
    expect(config.basePurchase).toBe(0.3);
    expect(config.timeZone).toBe(simulatorConfigSchema.parse({}).timeZone);
    expect(url).toBe('http://127.0.0.1:4000');
  });

  it('uses the demo experiment unless the file sets one', async () => {
    expect((await parseCliArgs([], simulatorDir)).config.experiment).toEqual(DEMO_EXPERIMENT);
  });

  it('refuses a value out of the schema range, naming the flag and the range', async () => {
    await expect(parseCliArgs(['--days', '367'], simulatorDir)).rejects.toThrow(
      new UsageError('--days accepts a whole number from 0 to 366, not "367"'),
    );
    await expect(parseCliArgs(['--concurrency', '0'], simulatorDir)).rejects.toThrow(/--concurrency/);
  });
});
