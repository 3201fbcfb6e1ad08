import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` diffs src/schema/ against drizzle/meta and writes the next SQL file;
// it needs no database. The app applies the files with drizzle's migrator (src/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
});
