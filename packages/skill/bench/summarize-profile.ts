/**
 * Summarizes a kept .cpuprofile again, with more lines:  npx tsx bench/summarize-profile.ts <file> [top]
 */
import { formatProfile, readProfileSummary } from './profile';

const [file, top] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/summarize-profile.ts <file.cpuprofile> [top]');
console.log(formatProfile(await readProfileSummary(file, top ? Number(top) : undefined)));
