import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as stats from './index';

/*
 * Bad input must never read as significance: every exported stats function refuses a NaN, a negative
 * count or variance, an out-of-range probability or level with a RangeError naming the argument. One
 * table row per exported function (a test below fails when a new export has no row), each with a valid
 * call and the arguments to break; fast-check draws the bad values.
 */

type Args = Record<string, unknown>;
type Kind = 'nan' | 'negative' | 'infinite' | 'aboveOne' | 'zero';

interface Row {
  run: (a: Args) => unknown;
  valid: () => Args;
  /** [argument path (dots; numbers index arrays), kinds of bad value]. */
  bad: [string, Kind[]][];
}

const badValue: Record<Kind, fc.Arbitrary<number>> = {
  nan: fc.constant(Number.NaN),
  negative: fc.double({ min: -1e12, max: -1e-9, noNaN: true }),
  infinite: fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  aboveOne: fc.double({ min: 1 + 1e-9, max: 1e6, noNaN: true }),
  zero: fc.constant(0),
};

const binaryArm = (n = 1000, conversions = 100) => ({ n, conversions });
const meanArm = (mean = 10, variance = 4, n = 50) => ({ n, mean, variance });
const ratioSummary = () => ({ n: 100, ratio: 0.2, variance: 0.001, standardError: Math.sqrt(0.001) });
const armBad = (name: string, minN = 1): [string, Kind[]][] => [
  [`${name}.n`, minN > 0 ? ['nan', 'negative', 'infinite', 'zero'] : ['nan', 'negative', 'infinite']],
  [`${name}.conversions`, ['nan', 'negative']],
];
const meanBad = (name: string): [string, Kind[]][] => [
  [`${name}.n`, ['nan', 'negative', 'infinite']],
  [`${name}.mean`, ['nan', 'infinite']],
  [`${name}.variance`, ['nan', 'negative', 'infinite']],
];
const alphaBad: [string, Kind[]] = ['alpha', ['nan', 'negative', 'zero', 'aboveOne']];
const cupedSums = () => ({
  n: 100,
  sumY: 500,
  sumYSquares: 5000,
  nWithHistory: 100,
  sumX: 300,
  sumXSquares: 2000,
  sumXY: 2500,
  sumYWithHistory: 500,
});
const rng = () => stats.createRng(7);

// biome-ignore lint/suspicious/noExplicitAny: the table calls every signature through one shape.
type Fn = (...args: any[]) => unknown;
const EXPORTS: Record<string, unknown> = { ...stats };
const f = (name: string) => EXPORTS[name] as Fn;

const ROWS: Record<string, Row> = {
  topTwoThompsonWeights: {
    run: (a) => f('topTwoThompsonWeights')(a.arms, a.options),
    valid: () => ({
      arms: [
        { successes: 5, failures: 95 },
        { successes: 8, failures: 92 },
      ],
      options: { floor: 0.05, beta: 0.5 },
    }),
    bad: [
      ['arms.0.successes', ['nan', 'negative']],
      ['arms.1.failures', ['nan', 'negative', 'infinite']],
      ['options.floor', ['nan', 'negative', 'aboveOne']],
      ['options.beta', ['nan', 'negative', 'aboveOne']],
    ],
  },
  bayesBinary: {
    run: (a) => f('bayesBinary')(a),
    valid: () => ({ control: binaryArm(), treatment: binaryArm(1000, 120), prior: { alpha: 1, beta: 1 } }),
    bad: [...armBad('control', 0), ...armBad('treatment', 0), ['prior.alpha', ['nan', 'negative', 'zero']]],
  },
  bayesBinaryMulti: {
    run: (a) => f('bayesBinaryMulti')(a),
    valid: () => ({ arms: [binaryArm(), binaryArm(900, 80)], prior: { alpha: 1, beta: 1 } }),
    bad: [
      ['arms.1.n', ['nan', 'negative', 'infinite']],
      ['arms.0.conversions', ['nan', 'negative']],
      ['prior.beta', ['nan', 'negative', 'zero']],
    ],
  },
  bayesNormal: {
    run: (a) => f('bayesNormal')(a),
    valid: () => ({ control: meanArm(), treatment: meanArm(11) }),
    bad: [...meanBad('control'), ...meanBad('treatment')],
  },
  cuped: {
    run: (a) => f('cuped')(a),
    valid: () => ({ y: [1, 2, 3, 4], x: [0, 1, null, 3], theta: 0.5, xMean: 1 }),
    bad: [
      ['y.1', ['nan', 'infinite']],
      ['x.0', ['nan', 'infinite']],
      ['theta', ['nan', 'infinite']],
      ['xMean', ['nan', 'infinite']],
    ],
  },
  fitTheta: {
    run: (a) => f('fitTheta')(a.samples),
    valid: () => ({ samples: [{ y: [1, 2, 3], x: [0, 2, 5] }] }),
    bad: [
      ['samples.0.y.2', ['nan', 'infinite']],
      ['samples.0.x.1', ['nan', 'infinite']],
    ],
  },
  cupedCompare: {
    run: (a) => f('cupedCompare')(a),
    valid: () => ({
      control: { y: [1, 2, 3, 4, 0], x: [0, 1, 2, 3, 0] },
      treatment: { y: [2, 3, 4, 5, 1], x: [1, 0, 2, 4, 0] },
      alpha: 0.05,
    }),
    bad: [
      ['control.y.0', ['nan', 'infinite']],
      ['treatment.y.3', ['nan', 'infinite']],
      ['treatment.x.1', ['nan', 'infinite']],
      alphaBad,
    ],
  },
  logGamma: {
    run: (a) => f('logGamma')(a.x),
    valid: () => ({ x: 2.5 }),
    bad: [['x', ['nan', 'negative', 'zero']]],
  },
  logBeta: {
    run: (a) => f('logBeta')(a.a, a.b),
    valid: () => ({ a: 2, b: 3 }),
    bad: [
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  regularizedGammaP: {
    run: (a) => f('regularizedGammaP')(a.a, a.x),
    valid: () => ({ a: 2, x: 1 }),
    bad: [
      ['a', ['nan', 'negative', 'zero']],
      ['x', ['nan', 'negative']],
    ],
  },
  regularizedGammaQ: {
    run: (a) => f('regularizedGammaQ')(a.a, a.x),
    valid: () => ({ a: 2, x: 1 }),
    bad: [
      ['a', ['nan', 'negative', 'zero']],
      ['x', ['nan', 'negative']],
    ],
  },
  regularizedIncompleteBeta: {
    run: (a) => f('regularizedIncompleteBeta')(a.x, a.a, a.b),
    valid: () => ({ x: 0.3, a: 2, b: 3 }),
    bad: [
      ['x', ['nan', 'negative', 'aboveOne']],
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  betaCdf: {
    run: (a) => f('betaCdf')(a.x, a.a, a.b),
    valid: () => ({ x: 0.3, a: 2, b: 3 }),
    bad: [
      ['x', ['nan']],
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero', 'infinite']],
    ],
  },
  betaLogPdf: {
    run: (a) => f('betaLogPdf')(a.x, a.a, a.b),
    valid: () => ({ x: 0.3, a: 2, b: 3 }),
    bad: [
      ['x', ['nan']],
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  betaPdf: {
    run: (a) => f('betaPdf')(a.x, a.a, a.b),
    valid: () => ({ x: 0.3, a: 2, b: 3 }),
    bad: [
      ['x', ['nan']],
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  betaQuantile: {
    run: (a) => f('betaQuantile')(a.p, a.a, a.b),
    valid: () => ({ p: 0.3, a: 2, b: 3 }),
    bad: [
      ['p', ['nan', 'negative', 'aboveOne']],
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  normalPdf: { run: (a) => f('normalPdf')(a.x), valid: () => ({ x: 0.5 }), bad: [['x', ['nan']]] },
  normalCdf: { run: (a) => f('normalCdf')(a.x), valid: () => ({ x: 0.5 }), bad: [['x', ['nan']]] },
  normalSf: { run: (a) => f('normalSf')(a.x), valid: () => ({ x: 0.5 }), bad: [['x', ['nan']]] },
  normalQuantile: {
    run: (a) => f('normalQuantile')(a.p),
    valid: () => ({ p: 0.3 }),
    bad: [['p', ['nan', 'negative', 'aboveOne']]],
  },
  studentTCdf: {
    run: (a) => f('studentTCdf')(a.t, a.df),
    valid: () => ({ t: 1.2, df: 7 }),
    bad: [
      ['t', ['nan']],
      ['df', ['nan', 'negative', 'zero']],
    ],
  },
  studentTPdf: {
    run: (a) => f('studentTPdf')(a.t, a.df),
    valid: () => ({ t: 1.2, df: 7 }),
    bad: [
      ['t', ['nan']],
      ['df', ['nan', 'negative', 'zero']],
    ],
  },
  studentTQuantile: {
    run: (a) => f('studentTQuantile')(a.p, a.df),
    valid: () => ({ p: 0.975, df: 7 }),
    bad: [
      ['p', ['nan', 'negative', 'aboveOne']],
      ['df', ['nan', 'negative', 'zero']],
    ],
  },
  chiSquareSf: {
    run: (a) => f('chiSquareSf')(a.x, a.df),
    valid: () => ({ x: 3, df: 2 }),
    bad: [
      ['x', ['nan']],
      ['df', ['nan', 'negative', 'zero']],
    ],
  },
  chiSquareCdf: {
    run: (a) => f('chiSquareCdf')(a.x, a.df),
    valid: () => ({ x: 3, df: 2 }),
    bad: [
      ['x', ['nan']],
      ['df', ['nan', 'negative', 'zero']],
    ],
  },
  integrate: {
    run: (a) => f('integrate')((x: number) => x * x, a.breakpoints, a.options),
    valid: () => ({ breakpoints: [0, 0.5, 1], options: { tolerance: 1e-10, maxSegments: 100 } }),
    bad: [
      ['breakpoints.1', ['nan', 'infinite']],
      ['options.tolerance', ['nan', 'negative', 'zero']],
      ['options.maxSegments', ['nan', 'negative', 'zero']],
    ],
  },
  ipwMean: {
    run: (a) => f('ipwMean')(a),
    valid: () => ({ outcomes: [1, 0, 1, 0], probabilities: [0.5, 0.2, 0.8, 0.5] }),
    bad: [
      ['outcomes.2', ['nan', 'infinite']],
      ['probabilities.1', ['nan', 'negative', 'zero', 'aboveOne']],
    ],
  },
  ipwCompare: {
    run: (a) => f('ipwCompare')(a),
    valid: () => ({
      control: { outcomes: [1, 0, 1, 0], probabilities: [0.5, 0.2, 0.8, 0.5] },
      treatment: { outcomes: [0, 0, 1, 1], probabilities: [0.5, 0.5, 0.5, 0.5] },
      alpha: 0.05,
    }),
    bad: [
      ['control.outcomes.0', ['nan', 'infinite']],
      ['treatment.probabilities.3', ['nan', 'negative', 'aboveOne']],
      alphaBad,
    ],
  },
  relativeLift: {
    run: (a) => f('relativeLift')(a.treatment, a.control),
    valid: () => ({ treatment: 0.12, control: 0.1 }),
    bad: [
      ['treatment', ['nan', 'infinite']],
      ['control', ['nan', 'infinite']],
    ],
  },
  relativeLiftInterval: {
    run: (a) => f('relativeLiftInterval')(a),
    valid: () => ({
      treatment: { mean: 0.12, variance: 1e-4 },
      control: { mean: 0.1, variance: 1e-4 },
      alpha: 0.05,
    }),
    bad: [
      ['treatment.mean', ['nan', 'infinite']],
      ['treatment.variance', ['nan', 'negative', 'infinite']],
      ['control.mean', ['nan', 'infinite']],
      ['control.variance', ['nan', 'negative']],
      alphaBad,
    ],
  },
  summarize: {
    run: (a) => f('summarize')(a.values),
    valid: () => ({ values: [1, 2, 3] }),
    bad: [['values.1', ['nan', 'infinite']]],
  },
  welchTTest: {
    run: (a) => f('welchTTest')(a),
    valid: () => ({ control: meanArm(), treatment: meanArm(11), alpha: 0.05 }),
    bad: [...meanBad('control'), ...meanBad('treatment'), alphaBad],
  },
  significantAt: {
    run: (a) => f('significantAt')(a.p, a.alpha),
    valid: () => ({ p: 0.01, alpha: 0.05 }),
    bad: [['p', ['nan', 'negative', 'aboveOne']], alphaBad],
  },
  holm: {
    run: (a) => f('holm')(a.pValues),
    valid: () => ({ pValues: [0.01, 0.2, 0.04] }),
    bad: [['pValues.1', ['nan', 'negative', 'aboveOne']]],
  },
  benjaminiHochberg: {
    run: (a) => f('benjaminiHochberg')(a.pValues),
    valid: () => ({ pValues: [0.01, 0.2, 0.04] }),
    bad: [['pValues.2', ['nan', 'negative', 'aboveOne']]],
  },
  compareProportions: {
    run: (a) => f('compareProportions')(a),
    valid: () => ({ control: binaryArm(), treatment: binaryArm(1000, 120), alpha: 0.05 }),
    bad: [...armBad('control'), ...armBad('treatment'), alphaBad],
  },
  createRng: {
    run: (a) => f('createRng')(a.seed),
    valid: () => ({ seed: 7 }),
    bad: [['seed', ['nan', 'infinite']]],
  },
  sampleNormal: {
    run: (a) => f('sampleNormal')(a.rng),
    valid: () => ({ rng: rng() }),
    // Its only argument is a generator; a non-generator is refused by name.
    bad: [['rng.next', ['nan']]],
  },
  sampleGamma: {
    run: (a) => f('sampleGamma')(rng(), a.shape),
    valid: () => ({ shape: 2 }),
    bad: [['shape', ['nan', 'negative', 'zero', 'infinite']]],
  },
  sampleBeta: {
    run: (a) => f('sampleBeta')(rng(), a.a, a.b),
    valid: () => ({ a: 2, b: 3 }),
    bad: [
      ['a', ['nan', 'negative', 'zero']],
      ['b', ['nan', 'negative', 'zero']],
    ],
  },
  sampleBinomial: {
    run: (a) => f('sampleBinomial')(rng(), a.n, a.p),
    valid: () => ({ n: 20, p: 0.3 }),
    bad: [
      ['n', ['nan', 'negative', 'infinite']],
      ['p', ['nan', 'negative', 'aboveOne']],
    ],
  },
  ratioMetric: {
    run: (a) => f('ratioMetric')(a),
    valid: () => ({ numerators: [1, 0, 2, 1], denominators: [3, 2, 4, 5] }),
    bad: [
      ['numerators.0', ['nan', 'infinite']],
      ['denominators.2', ['nan', 'infinite']],
    ],
  },
  ratioFromMoments: {
    run: (a) => f('ratioFromMoments')(a),
    valid: () => ({
      n: 100,
      meanNumerator: 1,
      meanDenominator: 4,
      varNumerator: 0.5,
      varDenominator: 2,
      covariance: 0.3,
    }),
    bad: [
      ['n', ['nan', 'negative', 'zero', 'infinite']],
      ['meanNumerator', ['nan', 'infinite']],
      ['meanDenominator', ['nan', 'infinite']],
      ['varNumerator', ['nan', 'negative']],
      ['varDenominator', ['nan', 'negative']],
      ['covariance', ['nan', 'infinite']],
    ],
  },
  compareRatios: {
    run: (a) => f('compareRatios')(a),
    valid: () => ({ control: ratioSummary(), treatment: ratioSummary(), alpha: 0.05 }),
    bad: [
      ['control.ratio', ['nan', 'infinite']],
      ['treatment.variance', ['nan', 'negative', 'infinite']],
      alphaBad,
    ],
  },
  msprt: {
    run: (a) => f('msprt')(a.look, a.options),
    valid: () => ({ look: { estimate: 0.01, variance: 1e-4, tau2: 1e-4 }, options: { alpha: 0.05 } }),
    bad: [
      ['look.estimate', ['nan', 'infinite']],
      ['look.variance', ['nan', 'negative', 'infinite']],
      ['look.tau2', ['nan', 'negative', 'zero']],
      ['options.alpha', ['nan', 'negative', 'zero', 'aboveOne']],
      ['options.previousPValue', ['nan', 'negative', 'aboveOne']],
    ],
  },
  sequentialLook: {
    run: (a) => f('sequentialLook')(a.input, a.options),
    valid: () => ({ input: { control: binaryArm(), treatment: binaryArm(1000, 110) }, options: {} }),
    bad: [
      ['input.control.n', ['nan', 'negative', 'zero']],
      ['input.treatment.conversions', ['nan', 'negative']],
      ['options.tau2', ['nan', 'negative', 'zero']],
      ['options.relativeEffect', ['nan', 'negative', 'zero']],
    ],
  },
  msprtPValue: {
    run: (a) => f('msprtPValue')(a),
    valid: () => ({ control: meanArm(), treatment: meanArm(11), alpha: 0.05 }),
    bad: [...meanBad('control'), ['treatment.variance', ['nan', 'negative']], alphaBad],
  },
  alwaysValidPValues: {
    run: (a) => f('alwaysValidPValues')(a.looks, a.options),
    valid: () => ({
      looks: [{ control: binaryArm(), treatment: binaryArm(1000, 110) }],
      options: { alpha: 0.05 },
    }),
    bad: [
      ['looks.0.control.conversions', ['nan', 'negative']],
      ['options.alpha', ['nan', 'negative', 'zero', 'aboveOne']],
    ],
  },
  zCritical: { run: (a) => f('zCritical')(a.alpha), valid: () => ({ alpha: 0.05 }), bad: [alphaBad] },
  sampleRatioMismatch: {
    run: (a) => f('sampleRatioMismatch')(a),
    valid: () => ({ observed: [5000, 5100], weights: [1, 1], threshold: 0.001 }),
    bad: [
      ['observed.1', ['nan', 'negative', 'infinite']],
      ['weights.0', ['nan', 'negative', 'infinite']],
      ['threshold', ['nan', 'negative', 'zero', 'aboveOne']],
    ],
  },
  summarizeSums: {
    run: (a) => f('summarizeSums')(a),
    valid: () => ({ n: 10, sum: 30, sumSquares: 120 }),
    bad: [
      ['n', ['nan', 'negative', 'infinite']],
      ['sum', ['nan', 'infinite']],
      ['sumSquares', ['nan', 'negative', 'infinite']],
    ],
  },
  ratioFromSums: {
    run: (a) => f('ratioFromSums')(a),
    valid: () => ({
      n: 4,
      sumNumerator: 4,
      sumDenominator: 14,
      sumNumeratorSquares: 6,
      sumDenominatorSquares: 54,
      sumProducts: 17,
    }),
    bad: [
      ['n', ['nan', 'negative', 'infinite']],
      ['sumNumerator', ['nan', 'infinite']],
      ['sumDenominatorSquares', ['nan', 'negative']],
      ['sumProducts', ['nan', 'infinite']],
    ],
  },
  ipwMeanFromSums: {
    run: (a) => f('ipwMeanFromSums')(a),
    valid: () => ({ sumW: 10, sumWY: 3, sumW2: 30, sumW2Y: 9, sumW2Y2: 9 }),
    bad: [
      ['sumW', ['nan', 'negative', 'zero', 'infinite']],
      ['sumWY', ['nan', 'infinite']],
      ['sumW2', ['nan', 'negative']],
      ['sumW2Y2', ['nan', 'negative']],
    ],
  },
  cupedThetaFromSums: {
    run: (a) => f('cupedThetaFromSums')(a.arms),
    valid: () => ({ arms: [cupedSums(), cupedSums()] }),
    bad: [
      ['arms.0.nWithHistory', ['nan', 'negative']],
      ['arms.1.sumX', ['nan', 'infinite']],
      ['arms.1.sumXSquares', ['nan', 'negative']],
      ['arms.0.sumXY', ['nan', 'infinite']],
    ],
  },
  cupedFromSums: {
    run: (a) => f('cupedFromSums')(a.arm, a.fit),
    valid: () => ({ arm: cupedSums(), fit: { theta: 0.5, xMean: 3 } }),
    bad: [
      ['arm.n', ['nan', 'negative']],
      ['arm.sumY', ['nan', 'infinite']],
      ['arm.sumYSquares', ['nan', 'negative']],
      ['fit.theta', ['nan', 'infinite']],
      ['fit.xMean', ['nan', 'infinite']],
    ],
  },
  quantile: {
    run: (a) => f('quantile')(a.values, a.q),
    valid: () => ({ values: [3, 1, 2], q: 0.5 }),
    bad: [
      ['values.0', ['nan']],
      ['q', ['nan', 'negative', 'aboveOne']],
    ],
  },
  winsorize: {
    run: (a) => f('winsorize')(a.values, a.options),
    valid: () => ({ values: [3, 1, 2, 100], options: { upperQuantile: 0.9 } }),
    bad: [
      ['values.2', ['nan']],
      ['options.upperQuantile', ['nan', 'negative', 'aboveOne']],
    ],
  },
};

/** A deep copy of `args` with the value at `path` replaced. */
function withValue(args: Args, path: string, value: unknown): Args {
  const copy = structuredCloneKeepingFunctions(args) as Args;
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>;
  target[keys.at(-1) as string] = value;
  return copy;
}

function structuredCloneKeepingFunctions(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(structuredCloneKeepingFunctions);
  if (x !== null && typeof x === 'object') {
    // A generator keeps its state in a closure: replace it by a fresh one with the same methods.
    if ('next' in x && typeof (x as { next: unknown }).next === 'function') return { ...x };
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, structuredCloneKeepingFunctions(v)]));
  }
  return x;
}

/** "arms.0.successes" → "arms[0].successes", the way messages name an element. */
const argName = (path: string) => path.replace(/\.(\d+)/g, '[$1]');

describe('every exported stats function refuses bad input with a RangeError naming the argument', () => {
  it('has a row for every exported function', () => {
    const exported = Object.entries(EXPORTS)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(exported).toEqual(Object.keys(ROWS).sort());
  });

  for (const [name, row] of Object.entries(ROWS)) {
    it(name, () => {
      // The valid call works, so a throw below is about the broken argument.
      expect(() => row.run(row.valid())).not.toThrow();
      for (const [path, kinds] of row.bad) {
        const values = fc.oneof(...kinds.map((k) => badValue[k]));
        fc.assert(
          fc.property(values, (v) => {
            let thrown: unknown;
            try {
              row.run(withValue(row.valid(), path, v));
            } catch (e) {
              thrown = e;
            }
            expect(thrown, `${name}(${argName(path)} = ${v})`).toBeInstanceOf(RangeError);
            expect((thrown as Error).message).toContain(argName(path));
          }),
          { numRuns: 15 },
        );
      }
    });
  }
});
