/** A two-sided interval [lower, upper]; NaN bounds mean the interval is undefined for the data. */
export type Interval = readonly [number, number];

export interface BinaryArm {
  /** Users exposed. */
  n: number;
  /** Users who converted (at most once each). */
  conversions: number;
}

/** Sufficient statistics of a continuous metric: count, mean and unbiased (n − 1) variance. */
export interface MeanArm {
  n: number;
  mean: number;
  variance: number;
}
