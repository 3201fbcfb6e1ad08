import { readFile, rename, writeFile } from 'node:fs/promises';

/** In DATA_DIR: whether the demo merchant's history is still to be replayed (see demo-lifecycle.ts). */
export const DEMO_HISTORY_FILE = 'demo-history.json';

export type DemoHistoryMarker = {
  state: 'pending' | 'complete';
  merchantId: string;
  /** When the first start seeded the merchant: the replayed window is the 30 days before its day. */
  now: number;
};

/** The marker, or undefined when there is none or it is not one (a hand-edited file is warned about). */
export async function readDemoHistoryMarker(
  file: string,
  warn: (message: string) => void,
): Promise<DemoHistoryMarker | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let marker: Partial<DemoHistoryMarker> | null = null;
  try {
    marker = JSON.parse(text) as Partial<DemoHistoryMarker> | null;
  } catch {
    // Checked below, with every other shape that is not a marker.
  }
  if (
    marker === null ||
    typeof marker !== 'object' ||
    (marker.state !== 'pending' && marker.state !== 'complete') ||
    typeof marker.merchantId !== 'string' ||
    typeof marker.now !== 'number'
  ) {
    // Never written so (it is replaced whole): someone edited it. The demo is not worth refusing to start.
    warn(`${file} is not a demo history marker; the demo history is left as it is`);
    return undefined;
  }
  return marker as DemoHistoryMarker;
}

/** Replaced whole (written aside, then renamed): a crash never leaves half a marker. */
export async function writeDemoHistoryMarker(
  file: string,
  marker: DemoHistoryMarker,
): Promise<DemoHistoryMarker> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(marker)}\n`);
  await rename(`${file}.tmp`, file);
  return marker;
}
