/** ClickHouse's quantileExact: the element at ⌊level·n⌋ of the sorted values. */
export function quantileExact(values: number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))] as number;
}
