import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReportAssets {
  chartJs: string;
  script: string;
  css: string;
}

let cached: ReportAssets | undefined;

/** chart.js's UMD build and the page's own script and styles, read once per process. */
export function reportAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // The package's exports do not list the UMD file; find it beside the CommonJS entry.
  const chartDir = dirname(require.resolve('chart.js'));
  const here = dirname(fileURLToPath(import.meta.url));
  cached = {
    chartJs: readFileSync(join(chartDir, 'chart.umd.min.js'), 'utf8'),
    script: readFileSync(join(here, 'client', 'report.js'), 'utf8'),
    css: readFileSync(join(here, 'client', 'report.css'), 'utf8'),
  };
  return cached;
}
