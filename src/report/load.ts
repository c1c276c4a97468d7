import type { CacheRun, LoadRun, LoadStep, Summary } from '../summary/schema.ts';

/**
 * The report's load section (suites that set `load:`, docs/service.md): each served run's
 * steps — requests/s and latency percentiles per mix and concurrency, with /health as the
 * ceiling — the soak's RSS over time, and the cache's figures. The HDR histograms and the
 * bootstrap samples stay in summary.json; the page needs only the figures.
 */
export interface LoadRunView {
  run: string;
  name: string;
  gateAt: number;
  healthCeilingRps: number;
  saturation: LoadRun['saturation'];
  steps: Omit<LoadStep, 'histogram'>[];
  soak: LoadRun['soak'];
  cache: Omit<CacheRun, 'hitSamplesMs'> | null;
  service: LoadRun['service'];
  zipf: LoadRun['zipf'];
}

export interface LoadSection {
  runs: LoadRunView[];
}

export function loadSection(summary: Summary): LoadSection | null {
  const runs = summary.runs.flatMap((r): LoadRunView[] => {
    if (!r.load) return [];
    const cache = r.cache ? (({ hitSamplesMs: _s, ...c }) => c)(r.cache) : null;
    return [
      {
        run: r.id,
        name: r.name,
        gateAt: r.load.gateAt,
        healthCeilingRps: r.load.healthCeilingRps,
        saturation: r.load.saturation,
        steps: r.load.steps.map(({ histogram: _hist, ...step }) => step),
        soak: r.load.soak,
        cache,
        service: r.load.service,
        zipf: r.load.zipf,
      },
    ];
  });
  return runs.length > 0 ? { runs } : null;
}
