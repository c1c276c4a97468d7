import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const PGVECTOR_SETUP_HINT = 'sudo bash scripts/setup-pgvector.sh';

/** Where Debian and Ubuntu keep each PostgreSQL version's server binaries. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface PostgresBinaries {
  /** Folder holding initdb, pg_ctl and postgres. */
  binDir: string;
  /** Major version when known (from the Debian folder name). */
  version: number | undefined;
  /** Whether pgvector's control file is installed for this version (Debian layout only). */
  hasPgvector: boolean | undefined;
}

function hasServerBinaries(dir: string): boolean {
  return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
}

/**
 * The PostgreSQL server binaries to run: `override` (or $RAGBENCH_PG_BIN) when given, else the
 * newest /usr/lib/postgresql/<version>/bin that has pgvector (else the newest), else initdb on
 * PATH. None → an error naming the setup script.
 */
export function findPostgresBinaries(
  override = process.env.RAGBENCH_PG_BIN,
  where: { debianRoot?: string; path?: string } = {},
): PostgresBinaries {
  const root = where.debianRoot ?? DEBIAN_ROOT;
  if (override) {
    if (!hasServerBinaries(override)) {
      throw new Error(`postgres: no initdb and pg_ctl in ${override} (RAGBENCH_PG_BIN / binDir): point it at PostgreSQL's bin folder`);
    }
    return { binDir: override, version: undefined, hasPgvector: undefined };
  }
  const debian = (existsSync(root) ? readdirSync(root) : [])
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a)
    .map((version) => ({
      binDir: join(root, String(version), 'bin'),
      version,
      hasPgvector: existsSync(`/usr/share/postgresql/${version}/extension/vector.control`),
    }))
    .filter((b) => hasServerBinaries(b.binDir));
  const chosen = debian.find((b) => b.hasPgvector) ?? debian[0];
  if (chosen) return chosen;
  const onPath = (where.path ?? process.env.PATH ?? '').split(delimiter).find((dir) => dir && hasServerBinaries(dir));
  if (onPath) return { binDir: onPath, version: undefined, hasPgvector: undefined };
  throw new Error(
    `postgres: PostgreSQL is not installed (no initdb/pg_ctl under ${root}/<version>/bin or on PATH): ` +
      `install PostgreSQL and pgvector with ${PGVECTOR_SETUP_HINT} (or set RAGBENCH_PG_BIN to the folder holding initdb)`,
  );
}
