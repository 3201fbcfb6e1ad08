import {
  alphaBad,
  armBad,
  binaryArm,
  cupedSums,
  f,
  meanArm,
  meanBad,
  type Row,
  ratioSummary,
} from './invalid-input';

/** Estimators and tests: proportions, means, CUPED, IPW, ratios, Bayes, bandit, sequential, SRM, sums. */
export const ESTIMATOR_ROWS: Record<string, Row> = {
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
  welchTTest: {
    run: (a) => f('welchTTest')(a),
    valid: () => ({ control: meanArm(), treatment: meanArm(11), alpha: 0.05 }),
    bad: [...meanBad('control'), ...meanBad('treatment'), alphaBad],
  },
  compareProportions: {
    run: (a) => f('compareProportions')(a),
    valid: () => ({ control: binaryArm(), treatment: binaryArm(1000, 120), alpha: 0.05 }),
    bad: [...armBad('control'), ...armBad('treatment'), alphaBad],
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
};
