import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { IngestedDocument, Pipeline } from '../pipeline/pipeline.ts';
import type { ServiceConfig } from './config.ts';
import { HttpError, overloaded } from './errors.ts';
import type { ServiceMetrics } from './metrics.ts';

/** A document id that is also a safe file name. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export interface UploadAnswer {
  document: Omit<IngestedDocument, 'file'>;
  indexVersion: number;
  /** True when a document of this id was in the index before: its old chunks were replaced. */
  replaced: boolean;
}

/**
 * POST /documents: a PDF uploaded as multipart/form-data (field `file`; optional field `id`
 * before it, else the file name without .pdf) is checked and ingested exactly as the CLI
 * ingests a file, so a bad PDF is refused with the same reason (422).
 */
export class DocumentService {
  private pending = 0;
  /** Ingests run one at a time: the pipeline's index is not built concurrently. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly config: ServiceConfig,
    private readonly metrics: ServiceMetrics,
    /** Called after the index changed (the result cache drops its entries). */
    private readonly onIndexChanged: () => void,
  ) {}

  async upload(request: FastifyRequest): Promise<UploadAnswer> {
    if (!request.isMultipart()) {
      throw new HttpError(415, {
        error: 'unsupported media type',
        field: 'file',
        message: 'POST /documents takes multipart/form-data with the PDF in the field "file"',
      });
    }
    const limit = this.config.server.maxConcurrentUploads;
    if (this.pending >= limit) throw overloaded('uploads being ingested', limit, this.config.server.retryAfterSeconds);
    this.pending++;
    try {
      const part = await request.file({ limits: { fileSize: this.config.server.uploadLimitBytes, files: 1 } });
      if (!part || part.fieldname !== 'file') {
        throw new HttpError(400, { error: 'invalid request', field: 'file', message: 'file: required: the PDF in the multipart field "file"' });
      }
      const bytes = await part.toBuffer(); // over uploadLimitBytes: RequestFileTooLargeError (413)
      const idField = part.fields.id;
      const given = idField && !Array.isArray(idField) && idField.type === 'field' ? String(idField.value) : undefined;
      const id = given ?? basename(part.filename, extname(part.filename));
      if (!ID.test(id)) {
        throw new HttpError(400, {
          error: 'invalid request',
          field: given !== undefined ? 'id' : 'file',
          message: `${given !== undefined ? 'id' : 'file name'}: "${id}" is not a usable document id (letters, digits, "_", "." and "-", at most 200)`,
        });
      }
      return await this.serially(() => this.ingest(id, part.filename, bytes));
    } finally {
      this.pending--;
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async ingest(id: string, filename: string, bytes: Buffer): Promise<UploadAnswer> {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-upload-'));
    try {
      const file = join(dir, `${id}.pdf`);
      await writeFile(file, bytes);
      const replaced = this.pipeline.documentIds().includes(id);
      const report = await this.pipeline.ingest([{ id, file }]);
      const failed = report.failed[0];
      if (failed) {
        this.metrics.documentsIngested.inc({ outcome: 'refused' });
        throw new HttpError(422, { error: 'unprocessable PDF', field: 'file', reason: failed.reason, message: `${filename}: ${failed.reason}` });
      }
      const doc = report.documents[0] as IngestedDocument;
      this.metrics.documentsIngested.inc({ outcome: 'ingested' });
      this.onIndexChanged();
      const { file: _file, ...document } = doc;
      return { document, indexVersion: this.pipeline.indexVersion, replaced };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Resolves when the ingest under way (if any) has finished. */
  async drain(): Promise<void> {
    await this.chain;
  }
}
