import type { Command } from 'commander';
import { Pipeline } from '../../pipeline/pipeline.ts';
import { findPdfs } from '../../pipeline/sources.ts';
import type { Hit } from '../../retrieve/types.ts';
import { addStageOptions, pipelineConfig } from '../stage-options.ts';
import { formatIngest } from './ingest.ts';

const DEFAULT_DOCS = 'golden/squad-dev/docs';

export function formatHits(hits: readonly Hit[]): string {
  if (hits.length === 0) return 'no hits';
  return hits
    .map((h) => {
      const c = h.citation;
      const pages = c.page === c.pageEnd ? `p. ${c.page}` : `pp. ${c.page}-${c.pageEnd}`;
      const quote = c.quote.replace(/\s+/g, ' ');
      return `${h.rank}. [${h.score.toFixed(3)}] ${c.doc}, ${pages}, chars ${c.charStart}-${c.charEnd}\n   "${quote.length > 300 ? `${quote.slice(0, 300)}…` : quote}"`;
    })
    .join('\n');
}

export function registerQuery(program: Command): void {
  addStageOptions(
    program
      .command('query')
      .description('ask a question of PDFs: ranked chunks with citations (document, pages, character span)')
      .argument('<text>', 'the question')
      .option('--docs <paths...>', 'PDF files or folders', [DEFAULT_DOCS])
      .option('-k <n>', 'hits to return', '5')
      .option('--json', 'print hits as JSON'),
  ).action(async (text: string, opts: Record<string, string> & { docs: string[]; json?: boolean; k: string }) => {
    const pipeline = await Pipeline.create(pipelineConfig(opts));
    try {
      const report = await pipeline.ingest(await findPdfs(opts.docs));
      if (report.failed.length > 0) process.stderr.write(`${formatIngest({ documents: [], failed: report.failed })}\n`);
      const hits = await pipeline.query(text, Number.parseInt(opts.k, 10));
      process.stdout.write(opts.json ? `${JSON.stringify(hits, null, 2)}\n` : `${formatHits(hits)}\n`);
    } finally {
      await pipeline.close();
    }
  });
}
