import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The report's data as it sits in the page: JSON, gzipped, base64. The default suite's data
 * is ~20 MB of JSON (12 runs × 1,000 questions × top-k hits) and ~2 MB packed; the page
 * inflates it with the browser's own DecompressionStream('gzip'). Base64's alphabet holds no
 * "<", so nothing a document says can end the element that carries it.
 */
export function packData(data: unknown): string {
  return gzipSync(JSON.stringify(data), { level: 9 }).toString('base64');
}

/** The inverse of packData (for tests and tools that read a report back). */
export function unpackData(packed: string): unknown {
  return JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'));
}

const DATA_ELEMENT = /<script type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64">([A-Za-z0-9+/=]*)<\/script>/;

/** The data inlined in a report.html, inflated: what the page draws. */
export function readReportData(html: string): unknown {
  const packed = DATA_ELEMENT.exec(html)?.[1];
  if (packed === undefined) throw new Error('report.html has no gzip+base64 report-data element');
  return unpackData(packed);
}
