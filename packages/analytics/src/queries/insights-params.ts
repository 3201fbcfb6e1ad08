import { z } from 'zod';
import { checkRange, dateRangeShape, limitSchema } from './params';

/** A local-day range and how many rows a top-N list returns. */
export const insightParamsSchema = z
  .object({ ...dateRangeShape, limit: limitSchema.default(20) })
  .superRefine(checkRange);
export type InsightParams = z.input<typeof insightParamsSchema>;
