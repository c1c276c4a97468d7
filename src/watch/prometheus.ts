/**
 * A parser of the Prometheus text exposition format (version 0.0.4), the subset prom-client
 * writes: `# HELP` / `# TYPE` comments, and samples `name{label="value",...} number [timestamp]`
 * with `\\`, `\"` and `\n` escapes in label values and `+Inf`, `-Inf`, `NaN` values (any case:
 * prom-client writes `Nan`).
 *
 * Hand-written because the npm parser in wide use (parse-prometheus-text-format 1.1.1) loses
 * the labels of prom-client's histograms (prom-client writes `le` first) and their _sum and
 * _count: tried on this service's /metrics, it merged the hit and miss series into one.
 */

export interface Sample {
  /** The sample's own name, e.g. `ragbench_query_duration_seconds_bucket`. */
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Metric family name → its `# TYPE` (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
}

export class ExpositionError extends Error {
  constructor(line: number, message: string) {
    super(`/metrics line ${line}: ${message}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: number): number {
  // Case-insensitive, as Prometheus reads them: prom-client writes NaN as "Nan".
  switch (text.toLowerCase()) {
    case '+inf':
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
      return NaN;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new ExpositionError(line, `not a number: "${text}"`);
  return value;
}

/** `{a="x",b="y"}` starting at `text[0] === '{'`; returns the labels and the index after `}`. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    if (i >= text.length) throw new ExpositionError(line, 'label set without its closing }');
    const name = LABEL_NAME.exec(text.slice(i));
    if (!name) throw new ExpositionError(line, `bad label name at column ${i + 1}`);
    i += name[0].length;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new ExpositionError(line, `expected ="..." after label ${name[0]}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new ExpositionError(line, `unterminated value of label ${name[0]}`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i++];
        value += next === 'n' ? '\n' : next === undefined ? '' : next;
      } else {
        value += c;
      }
    }
    labels[name[0]] = value;
  }
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    const number = index + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type) types.set(type[1] as string, type[2] as string);
      continue;
    }
    const name = NAME.exec(line);
    if (!name) throw new ExpositionError(number, `bad metric name: "${line.slice(0, 40)}"`);
    let rest = line.slice(name[0].length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest, number);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const [value, timestamp, extra] = rest.trim().split(/\s+/);
    if (value === undefined || value === '' || extra !== undefined) throw new ExpositionError(number, `expected "value [timestamp]" after ${name[0]}`);
    if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) throw new ExpositionError(number, `bad timestamp "${timestamp}"`);
    samples.push({ name: name[0], labels, value: parseValue(value, number) });
  }
  return { samples, types };
}
