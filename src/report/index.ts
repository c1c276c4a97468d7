export { renderReport, writeReport, loadQueriesBeside, type ReportOptions } from './write.ts';
export { buildReportData, type ReportData, type ReportInput } from './data.ts';
export { renderReportHtml } from './html.ts';
export { parseQueries } from './queries.ts';
export { escapeHtml, jsonForScript } from './escape.ts';
export { packData, readReportData, unpackData } from './pack.ts';
export { disagreement, type Disagreement } from './disagreement.ts';
export { answerMarks } from './highlight.ts';
export { paretoFront } from './pareto.ts';
