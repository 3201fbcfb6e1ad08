import { expect, it } from 'vitest';
import { decodeEntities, speechText } from './speech';

it('shows the words of SSML: tags gone, entities decoded, breaks as pauses', () => {
  expect(
    speechText(
      '<speak>Welcome to Northwind&apos;s shop! <break time="300ms"/> Our <emphasis level="strong">Yirgacheffe</emphasis> is $18 &amp; fresh.</speak>',
    ),
  ).toBe('Welcome to Northwind\u2019s shop! … Our Yirgacheffe is $18 & fresh.');
  expect(speechText('<speak><p>One.</p><p>Two &#8212; three &#x2019;</p></speak>')).toBe(
    'One. Two — three \u2019',
  );
  expect(speechText(null)).toBe('');
  expect(speechText('<speak><break time="1s"/></speak>')).toBe('');
});

it('never turns decoded text into markup, and leaves unknown entities alone', () => {
  expect(speechText('<speak>a &lt;b&gt; c</speak>')).toBe('a <b> c');
  expect(decodeEntities('&bogus; &#0; &#x110000;')).toBe('&bogus; &#0; &#x110000;');
});
