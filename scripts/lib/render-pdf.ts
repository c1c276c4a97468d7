import PDFDocument from 'pdfkit';

export type PdfDoc = InstanceType<typeof PDFDocument>;
export type PdfOptions = NonNullable<ConstructorParameters<typeof PDFDocument>[0]>;

/** The info dictionary every generated PDF carries: a fixed date keeps the bytes (and file ID) stable. */
export function fixedInfo(producer: string): { CreationDate: Date; Producer: string } {
  return { CreationDate: new Date('2024-01-01T00:00:00Z'), Producer: producer };
}

/**
 * Renders a pdfkit document to bytes. `producer` and a fixed creation date go into the info
 * dictionary, so the output (and its file ID, a hash of it) is the same on every run.
 */
export function renderPdf(options: PdfOptions, producer: string, draw: (doc: PdfDoc) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ ...options, info: fixedInfo(producer) });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}
