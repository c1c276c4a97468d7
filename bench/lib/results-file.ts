/**
 * Benchmark results written as they come: the file is rewritten (atomically) after every
 * measurement, so a run that is stopped or crashes still leaves everything measured so far.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export class ResultsFile<T extends object> {
  constructor(
    readonly path: string,
    private readonly document: T,
  ) {
    this.save();
  }

  /** Applies a change to the document and rewrites the file. */
  update(change: (document: T) => void): void {
    change(this.document);
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.document, null, 2)}\n`);
    renameSync(temp, this.path);
  }
}
