import { meanInterval, type BootstrapSettings } from '../../stats/index.ts';
import type { ChunkQuality } from './schema.ts';

const MEASURES = ['tokenPrecision', 'tokenRecall', 'tokenIou'] as const;

/**
 * The chunk quality with percentile-bootstrap intervals of its three means, resampling the
 * judged questions (the settings summary.json records as `settings.statistics`). A measure
 * with no judged question gets none.
 */
export function withIntervals(quality: ChunkQuality, settings: Partial<BootstrapSettings> = {}): ChunkQuality {
  const intervals: NonNullable<ChunkQuality['intervals']> = {};
  for (const m of MEASURES) {
    const e = meanInterval(quality.perQuestion[m], settings);
    if (e) intervals[m] = { low: e.low, high: e.high };
  }
  return { ...quality, intervals };
}
