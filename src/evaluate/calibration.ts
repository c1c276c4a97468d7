/**
 * A fixed reference workload, timed beside every latency round in the same process: how fast
 * this machine was at that moment. Latency compared as a ratio to it stays comparable when
 * another job shares the cores or the run moves to a slower machine (the gate uses it).
 *
 * The work resembles a query's: float dot products over a 512-d table (memory and FPU, like a
 * flat vector scan) and a sort of scores (like ranking), with fixed sizes and fixed data.
 */
export const CALIBRATION_WORKLOAD = 'ragbench-reference/1: 16 queries x 2,000 x 512-d float32 dot products + sort';

const DIMENSIONS = 512;
const ROWS = 2_000;
const QUERIES = 16;

let table: Float32Array | undefined;

function referenceTable(): Float32Array {
  if (!table) {
    table = new Float32Array(ROWS * DIMENSIONS);
    // A fixed linear congruential fill: the same numbers on every machine.
    let x = 12345;
    for (let i = 0; i < table.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      table[i] = x / 0x7fffffff - 0.5;
    }
  }
  return table;
}

/** Runs the workload once; returns a checksum so the work cannot be optimised away. */
function workloadOnce(): number {
  const t = referenceTable();
  const scores = new Float64Array(ROWS);
  let checksum = 0;
  for (let q = 0; q < QUERIES; q++) {
    const qo = (q * 31 % ROWS) * DIMENSIONS;
    for (let r = 0; r < ROWS; r++) {
      let dot = 0;
      const ro = r * DIMENSIONS;
      for (let d = 0; d < DIMENSIONS; d++) dot += (t[qo + d] as number) * (t[ro + d] as number);
      scores[r] = dot;
    }
    scores.sort();
    checksum += scores[ROWS - 1] as number;
  }
  return checksum;
}

/** Milliseconds the workload takes now: the median of `repeats` timings (after one warm-up unless `warm`). */
export function timeCalibration(repeats = 5, warm = false): number {
  if (!warm) workloadOnce();
  const times: number[] = [];
  let sink = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    sink += workloadOnce();
    times.push(performance.now() - t0);
  }
  if (Number.isNaN(sink)) throw new Error('calibration workload produced NaN');
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] as number) * 1000) / 1000;
}
