export interface Point {
  id: string;
  /** Cost: lower is better (latency). */
  x: number;
  /** Benefit: higher is better (accuracy). */
  y: number;
}

/**
 * The configurations no other one beats on both axes (at most as slow and at least as
 * accurate, better on one), sorted by cost: the front worth choosing from.
 */
export function paretoFront(points: readonly Point[]): Point[] {
  const dominated = (p: Point): boolean =>
    points.some((q) => q !== p && q.x <= p.x && q.y >= p.y && (q.x < p.x || q.y > p.y));
  return points.filter((p) => !dominated(p)).sort((a, b) => a.x - b.x || b.y - a.y);
}
