import type { Command } from 'commander';
import { Pipeline, type IngestReport } from '../../pipeline/pipeline.ts';
import { findPdfs } from '../../pipeline/sources.ts';
import { EXIT } from '../exit.ts';
import { addStageOptions, pipelineConfig } from '../stage-options.ts';

export function formatIngest(report: IngestReport): string {
  const lines = report.documents.map((d) => {
    const route = d.route ? ` (router: ${d.route.reason})` : '';
    const warn = d.warnings.length > 0 ? `\n    warnings: ${d.warnings.join('; ')}` : '';
    return `ok      ${d.id}: ${d.pages} pages, ${d.chunks} chunks, ${d.extractor}${route}${warn}`;
  });
  lines.push(...report.failed.map((f) => `SKIPPED ${f.file}: ${f.reason}`));
  return lines.join('\n');
}

export function registerIngest(program: Command): void {
  addStageOptions(
    program
      .command('ingest')
      .description('extract, chunk and embed PDFs; report what each document gave (fills the embedding cache)')
      .argument('<paths...>', 'PDF files or folders of PDFs')
      .option('--json', 'print the report as JSON'),
  ).action(async (paths: string[], opts: Record<string, string> & { json?: boolean }) => {
    const pipeline = await Pipeline.create(pipelineConfig(opts));
    try {
      const report = await pipeline.ingest(await findPdfs(paths));
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatIngest(report)}\n`);
      // Some PDFs could not be read: the rest were ingested, but say so in the exit code.
      if (report.documents.length === 0) process.exitCode = EXIT.invalidInput;
    } finally {
      await pipeline.close();
    }
  });
}
