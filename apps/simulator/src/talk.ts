/**
 * `npm run talk`: type to the running skill as if talking to an Echo.
 * Start the server first (`npm run dev`); it must trust the development CA (the default outside
 * production), whose signer this tool loads from DATA_DIR.
 */
import { createInterface } from 'node:readline/promises';
import { TalkConversation } from '@pitchline/alexa-kit/conversation';
import { loadOrCreateDevSigner } from '@pitchline/alexa-kit/dev-ca';
import { INVOCATION_NAME } from '@pitchline/voice-model';
import { loadTalkConfig } from './env';

const config = loadTalkConfig();
const { signer } = await loadOrCreateDevSigner(config.devCaDir);
const talk = new TalkConversation(
  (body, headers) => fetch(config.endpoint, { method: 'POST', body, headers }),
  signer,
  {
    applicationId: config.skillId,
    locale: config.locale,
    screen: config.screen,
    ...(config.accessToken ? { accessToken: config.accessToken } : {}),
  },
);

const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
console.log(`Talking to ${config.endpoint}. Say "open ${INVOCATION_NAME}" or anything; Ctrl-D to leave.`);
const interactive = process.stdin.isTTY === true;
rl.setPrompt('you> ');
if (interactive) rl.prompt();
// The async iterator, unlike question(), also reads lines piped in faster than we answer them.
for await (const line of rl) {
  if (!interactive) console.log(`you> ${line}`);
  try {
    const heard = await talk.say(line);
    if (heard) {
      console.log(`  [${heard.request}]`);
      // What Alexa's entity resolution said, so a one-shot's static-only resolution is visible.
      for (const r of heard.resolutions ?? []) console.log(`  resolution ${r}`);
      console.log(`alexa> ${heard.speech || '(silence)'}`);
      if (heard.card) console.log(`  card: ${heard.card}`);
      if (heard.ended) console.log('  (session ended)');
    }
  } catch (err) {
    console.error(`  error: ${(err as Error).message}`);
  }
  if (interactive) rl.prompt();
}
