import { alphaBad, f, type Row, rng } from './invalid-input';

/** Distributions, quadrature, random draws, quantiles, multiple testing: the building blocks. */
export const DISTRIBUTION_ROWS: Record<string, Row> = {
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
  relativeLift: {
    run: (a) => f('relativeLift')(a.treatment, a.control),
    valid: () => ({ treatment: 0.12, control: 0.1 }),
    bad: [
      ['treatment', ['nan', 'infinite']],
      ['control', ['nan', 'infinite']],
    ],
  },
  summarize: {
    run: (a) => f('summarize')(a.values),
    valid: () => ({ values: [1, 2, 3] }),
    bad: [['values.1', ['nan', 'infinite']]],
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
  zCritical: { run: (a) => f('zCritical')(a.alpha), valid: () => ({ alpha: 0.05 }), bad: [alphaBad] },
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
