export { evaluateGate, failedChecks, warnedChecks, type GateOptions } from './evaluate.ts';
export { applyGate, type GateRunOptions, type GateRunResult } from './apply.ts';
export {
  ThresholdsSchema,
  DEFAULT_RULES,
  DEFAULT_THRESHOLDS,
  DEFAULT_TOLERANCES,
  DEFAULT_MODES,
  DEFAULT_SIGNIFICANCE,
  GATE_MODES,
  modePolicy,
  type GateMode,
  type ModePolicy,
  parseRule,
  parseTolerance,
  type Thresholds,
  type ThresholdsInput,
  type Rule,
  type Tolerance,
} from './thresholds.ts';
export { loadSummary, loadThresholds, parseSummary, parseThresholds, readInputFile, resolveThresholds, type ThresholdsSource } from './load.ts';
export { formatVerdictTable, headline, runNamesOf, type TableOptions } from './table.ts';
export { toJUnitXml } from './junit.ts';
export { METRICS, metricInfo, readMetric, formatValue } from './metrics.ts';
