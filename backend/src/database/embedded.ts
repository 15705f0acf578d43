import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EmbeddedDatabase {
  /** A connection string for the `pg` driver (through a Unix socket only this user can reach). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly, in this process) and serves it to the `pg`
 * driver over a private Unix socket, so TypeORM, migrations and raw SQL run exactly as against a
 * PostgreSQL server. PGlite is single-connection: the socket server's multiplexer runs one query
 * at a time and holds a second transaction back until the first one ends.
 *
 * @param dataDir a folder kept on disk, or 'memory://' for a throwaway database (tests)
 */
export async function startEmbeddedDatabase(dataDir: string, maxConnections = 10): Promise<EmbeddedDatabase> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { btree_gist, pg_trgm, unaccent } });
  // Unix socket paths are limited to ~100 bytes, so the socket lives in a short temp folder.
  const socketDir = mkdtempSync(join(tmpdir(), 'custodian-pg-'));
  const port = 5432;
  const server = new PGLiteSocketServer({ db, path: join(socketDir, `.s.PGSQL.${port}`), maxConnections });
  await server.start();
  const url = `postgres://postgres@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
