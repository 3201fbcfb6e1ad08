import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inlineScripts } from './vite-no-inline-script';

describe('inlineScripts', () => {
  it('finds inline script elements, event-handler attributes and javascript: URLs', () => {
    expect(inlineScripts('<script>window.x = 1</script>')).toHaveLength(1);
    expect(inlineScripts('<script type="module">import "/a.js"</script>')).toHaveLength(1);
    expect(inlineScripts('<body onload="go()"><div></div></body>')).toEqual(['onload= attribute']);
    expect(inlineScripts('<a href="javascript:alert(1)">x</a>')).toHaveLength(1);
  });

  it('accepts scripts loaded by URL, and the source index.html as Vite builds it', async () => {
    expect(inlineScripts('<script type="module" crossorigin src="/assets/index-abc.js"></script>')).toEqual(
      [],
    );
    expect(inlineScripts(await readFile(new URL('./index.html', import.meta.url), 'utf8'))).toEqual([]);
  });
});
