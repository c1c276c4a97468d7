export { seededRandom, randomIndex } from './random.ts';
export { auroc } from './auroc.ts';
export { quantile, quantileSorted, median, mean } from './quantile.ts';
export {
  BOOTSTRAP_METHOD,
  DEFAULT_BOOTSTRAP,
  bootstrapDistribution,
  bootstrapPValue,
  percentileInterval,
  resolveSettings,
  type BootstrapSettings,
  type Estimate,
  type TestedEstimate,
} from './bootstrap.ts';
export { meanInterval, ratioInterval, aurocInterval, present } from './intervals.ts';
export { pairedBootstrap, pairedMeanDifference, pairedRatioDifference, pairedAurocDifference, type PairedMeans } from './paired.ts';
export { mcnemarExact, mcnemarExactP, type McNemarResult } from './mcnemar.ts';
export { quantileRatio, type QuantileRatio, type QuantileRatioInput } from './quantile-ratio.ts';
