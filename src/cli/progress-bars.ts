import cliProgress from 'cli-progress';
import type { ProgressSink } from '../suite/progress.ts';

/** Progress bars on stderr when it is a terminal; elsewhere (CI logs) only the notes. */
export function progressBars(): ProgressSink & { close(): void } {
  if (!process.stderr.isTTY) {
    return {
      start: () => ({ update() {}, stop() {} }),
      note: (message) => void process.stderr.write(`${message}\n`),
      close() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {value}/{total} | {label}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(label, total) {
      const bar = bars.create(total, 0, { label });
      return {
        update: (done) => bar.update(done),
        stop: () => {
          bar.update(total);
          bars.remove(bar);
        },
      };
    },
    note: (message) => bars.log(`${message}\n`),
    close: () => bars.stop(),
  };
}
