import { join } from 'node:path';
import {
  createDevCa,
  createDevSigner,
  type DevSigner,
  devCertUrl,
  issueSigningCertificate,
} from '@pitchline/alexa-kit/dev-ca';
import { DEMO_MERCHANT_ID, migrateDatabase, openDatabase, seedDemo } from '@pitchline/db';
import { createPgliteDataDir } from '@pitchline/db/testing';
import { loadCatalog } from '../src/catalog/load';
import type { Catalog } from '../src/catalog/types';

export interface SignerFixture {
  signer: DevSigner;
  caPem: string;
}

/** A development CA and an RSA signing certificate, as Amazon signs with; the server trusts the CA. */
export async function createSigner(): Promise<SignerFixture> {
  const ca = await createDevCa();
  const issued = await issueSigningCertificate(ca);
  return { signer: createDevSigner(issued, devCertUrl('pitchline-bench')), caPem: ca.certPem };
}

export interface SeededDatabase {
  /** Remove it when done. */
  dataDir: string;
  /** The initialized PGlite directory the servers copy. */
  postgresDir: string;
  /** The demo catalog, for request bodies that name real product ids (carts, resolutions). */
  catalog: Catalog;
}

/**
 * Migrated and seeded once, then copied by each server: both dialog servers see the same product
 * ids, so the same signed bodies (with carts in their session attributes) are valid for both.
 */
export async function createSeededDatabase(): Promise<SeededDatabase> {
  const dataDir = await createPgliteDataDir();
  const database = await openDatabase({ dataDir });
  try {
    await migrateDatabase(database);
    await seedDemo(database.db);
    const catalog = await loadCatalog(database.db, DEMO_MERCHANT_ID);
    return { dataDir, postgresDir: join(dataDir, 'postgres'), catalog };
  } finally {
    await database.close();
  }
}
