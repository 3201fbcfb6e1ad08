import { describe, expect, it } from 'vitest';
import { migrationChecksum } from '../migrate';
import { MIGRATIONS } from './index';

/*
 * Every database already migrated recorded these checksums, and migrateClickHouse refuses to start when a
 * recorded migration's SQL no longer hashes to them. The SQL is assembled from shared constants
 * (tables.ts), so an innocent-looking edit there would lock every install out: this pins the released SQL.
 * A new migration adds its line here; a released one never changes.
 */
const RELEASED: Record<number, { single: string; cluster: string }> = {
  1: {
    single: '4f019d95c2562bb874f4ee10b66479a3c14045e030d706c74a570ef1a467c3af',
    cluster: 'bb538b10224d138bfc83325dc5ff513c778292582513a681addc73157ee99976',
  },
  3: {
    single: '622336dadebbb2b328e658916dd99e34fd52c376fd3720dc904738246144c22d',
    cluster: '32ceeee41ed94132d378e053ede329183c4f47404a2c750fcaff142eeb25b2fb',
  },
  4: {
    single: 'e4b70fb449a5a6e6fe2258ca4fa98a9377b8d9dfdc1f50fc49326b490bbcf02a',
    cluster: '83cb4e30741b3c3b3fbba77e674f1ece6e25faf7a7a360e0aa0a44b8abfea07b',
  },
  5: {
    single: '8db6fae6e1b61d3bc184a35b333f42e3bedeeaea11be7fa5df01e51f97c41784',
    cluster: 'ebad15051f850f23ec1cc4f31bf43e003e085062ca7ffdb32f32e0cacd41e06d',
  },
  6: {
    single: '4e36ab88429eede9af2eed3f46c3fb8737da5fe1796f5c71a58d3a4be6985e47',
    cluster: '11a5675fb761b4e21d8c76d35e0f958741bcb62bbae9f2bd06e50f4203ca870c',
  },
};

describe('released ClickHouse migrations', () => {
  it('every migration has a pinned checksum', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Object.keys(RELEASED).map(Number));
  });

  it.each(MIGRATIONS.map((m) => [m.version, m.name, m] as const))(
    '%i (%s) still hashes to what migrated databases recorded',
    (version, _name, migration) => {
      const pinned = RELEASED[version];
      expect(migrationChecksum(migration, { database: 'pitchline' })).toBe(pinned?.single);
      expect(migrationChecksum(migration, { database: 'pitchline', cluster: 'main' })).toBe(pinned?.cluster);
    },
  );
});
