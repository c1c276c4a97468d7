import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { InputError } from '../util/errors.ts';
import type { SourceDocument } from './pipeline.ts';

/** PDF files named directly or found (non-recursively) in folders; the id is the file name without .pdf. */
export async function findPdfs(paths: readonly string[]): Promise<SourceDocument[]> {
  const out: SourceDocument[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      throw new InputError(`${p}: no such file or folder`);
    }
    if (info.isDirectory()) {
      const names = (await readdir(abs)).filter((n) => extname(n).toLowerCase() === '.pdf').sort();
      out.push(...names.map((n) => ({ id: basename(n, extname(n)), file: join(abs, n) })));
    } else {
      out.push({ id: basename(abs, extname(abs)), file: abs });
    }
  }
  if (out.length === 0) throw new InputError(`no PDF files in ${paths.join(', ')}`);
  const ids = new Set<string>();
  for (const d of out) {
    if (ids.has(d.id)) throw new InputError(`two PDFs have the id "${d.id}": rename one`);
    ids.add(d.id);
  }
  return out;
}
