import { describe, expect, it } from 'vitest';
import type { ToolCallPart } from '../neutral/request.ts';
import type { ChatResponse } from '../neutral/response.ts';
import { detectRefusal, refusalPhrases } from './refusal.ts';

type Answer = Pick<ChatResponse, 'text' | 'finishReason' | 'refusal' | 'toolCalls'>;

function answer(text: string, extra: Partial<Answer> = {}): Answer {
  return { text, finishReason: 'stop', toolCalls: [], ...extra };
}

const weatherCall: ToolCallPart = {
  type: 'tool-call',
  id: 'call_1',
  name: 'get_weather',
  arguments: '{"city":"Paris"}',
};

/** Real help, 800 characters of it: what follows a disclaimer in an answer that did not refuse. */
const help = [
  'Start by listing every service that writes data, and for each one note where the data lives,',
  'how much of it changes per day, and how long you could live without it. Databases come first:',
  'take a nightly logical dump with pg_dump, keep seven daily and four weekly copies, and ship them',
  'to a bucket in another region with object lock enabled so that ransomware cannot delete them.',
  'For file storage, use incremental snapshots; restic or borg both deduplicate and encrypt. Then',
  'write the restore runbook: the exact commands, the credentials it needs and who may run it.',
  'Finally, schedule a restore drill once a month on a scratch machine, time it, and compare the',
  'restored row counts against production. A backup you have never restored is only a hope, and the',
  'drill is what turns it into a plan you can rely on at two in the morning.',
].join(' ');

/**
 * Ordinary answers that mention a limit, a refusal or being an AI somewhere, and still answer.
 * Each is the kind of text a model really writes; none may be taken for a refusal.
 */
const ordinaryAnswers: ReadonlyArray<[string, string]> = [
  [
    'a phrase that is not a refusal at the start of a later sentence',
    "Here's the plan. I can't stress enough how important backups are: run them nightly and test a restore every month.",
  ],
  [
    'an inability to browse, then a long real answer',
    `I'm not able to browse the web, but based on what I know, the capital of Australia is Canberra. ${help}`,
  ],
  [
    'an AI that states its training cut-off and answers',
    'As an AI model trained on data up to 2024, I can summarise the main changes in the EU AI Act: risk tiers, transparency duties for general-purpose models, and fines of up to 7% of turnover.',
  ],
  [
    '"you can\'t" about a technique',
    "You can't do that in SQL directly; instead, use a window function: SELECT id, SUM(amount) OVER (ORDER BY day) FROM payments.",
  ],
  [
    'a refusal phrase opening an 800-character answer',
    `I can't help with everything, but here is how to set up backups that actually work. ${help}`,
  ],
  [
    'a long answer that opens with an apology and a disclaimer',
    `I'm sorry, but I can't give legal advice. That said, here is how small-claims court generally works. ${help}`,
  ],
  [
    'a refusal quoted mid-text',
    'When a chatbot answers "I can\'t help with that", the usual cause is an overly broad system prompt. Narrow it to the task.',
  ],
  [
    'a quoted refusal used as an example of bad wording',
    'Your support script should never end with "I\'m sorry, but I cannot assist with that request." Offer the next step instead.',
  ],
  [
    'a translation whose meaning is a refusal',
    'Here is the translation:\n\nJe ne peux pas vous aider avec ça.\n\nIt means "I can\'t help you with that."',
  ],
  [
    'a polite refusal drafted for the user',
    'Here is a polite way to turn the client down: "I\'m afraid I can\'t take on this project right now." Then suggest a colleague.',
  ],
  [
    'a refusal inside a drafted reply after a comma',
    "The user asked me to decline the meeting, so I drafted: 'Thanks for the invite, but I must decline as I'm travelling that week.'",
  ],
  [
    'excitement',
    "I can't believe how fast this compiles now! The build went from 41 s to 6 s after caching.",
  ],
  [
    'a recommendation',
    'I cannot recommend this library enough. It handles retries, backoff and circuit breakers for you.',
  ],
  [
    'uncertainty about a bug',
    "Great question. I can't say for certain without the logs, but the stack trace points to a null value in parseConfig.",
  ],
  [
    'a request for more context',
    "The function returns early, so I can't see where the value gets set. Could you share the caller? Meanwhile, log the input.",
  ],
  [
    'a short yes with reasoning',
    "Short answer: yes. I can't think of a case where that would break, because the lock is held for the whole section.",
  ],
  [
    'an AI without preferences that still answers',
    "As an AI, I don't have personal preferences, but most developers pick VS Code for its extensions and Vim for its speed.",
  ],
  [
    'an AI language model that explains',
    'As an AI language model, I can explain how vaccines work: they show the immune system a harmless piece of the pathogen.',
  ],
  [
    "a won't that is not a refusal",
    "I won't bore you with the history; HTTP/2 multiplexes many streams over one connection.",
  ],
  [
    'an inability to reproduce',
    "I'm unable to reproduce the bug on Node 22, which suggests it depends on the platform. Try running with --trace-warnings.",
  ],
  [
    'unfortunately about a product limit',
    "Unfortunately, the API doesn't support batch deletes. You'll have to loop over the ids and delete them one by one.",
  ],
  [
    'an apology for a mistake, then the fix',
    "Sorry for the confusion! Here's the corrected regex: /^\\d{3}-\\d{4}$/",
  ],
  [
    'advice about a linter',
    "Yes! And if the linter complains, you can't ignore it forever; fix the rule or disable it for that line.",
  ],
  [
    'a "can\'t wait" answer',
    "I can't wait to see what you build! To get started, install the package with npm i @steadfast/core.",
  ],
  [
    'a sympathetic opening that offers help',
    "I'm sorry to hear about the outage. I can help you with the postmortem: start with a timeline of what failed when.",
  ],
  [
    'a refusal phrase past the start of a long-ish answer',
    `To rotate the key, open the console, create a new key and deploy it before you revoke the old one; if you revoke first, I can't help with the downtime that follows. ${help.slice(0, 200)}`,
  ],
  [
    'a "must decline" inside advice on etiquette',
    'If you are invited to speak and cannot make it, a short note works best. Say that you must decline, thank them, and suggest another date.',
  ],
];

/** Refusals as models word them, with the typography they come in. */
const refusals: ReadonlyArray<[string, string]> = [
  ['the plain form', "I can't help with that."],
  ['curly apostrophes', 'I’m sorry, but I can’t help with that.'],
  ['leading whitespace and a line break', '\n\n   I cannot assist with that request.'],
  ['"Sorry, but"', "Sorry, but I can't share instructions for picking locks."],
  ['the common assistant wording', "I'm sorry, but I cannot assist with that request."],
  [
    'an AI language model that cannot',
    'As an AI language model, I cannot create content that promotes violence.',
  ],
  ['an AI that cannot', "As an AI, I can't generate explicit images."],
  ['must decline', 'I must decline this request. Writing malware could harm people.'],
  [
    'after a one-line apology',
    "I apologise for any confusion.\nI can't provide personal information about private individuals.",
  ],
  ['after an exclamation', "Sorry about that! I can't help with bypassing paywalls."],
  ["won't be able to", "I won't be able to help with that one."],
  ['not able to help', "I'm not able to help with requests to access someone else's account."],
  ['unable to provide', "I'm unable to provide that information."],
  [
    '"that\'s not something"',
    "That's not something I can help with. Is there anything else you'd like to know?",
  ],
  ['"I apologize, but"', "I apologize, but I can't help with that request."],
  ['"I\'m afraid"', "I'm afraid I can't help with that."],
  ['"Unfortunately,"', 'Unfortunately, I cannot provide dosages for that drug.'],
  ['"really sorry"', 'I’m really sorry, but I can’t assist with that.'],
  ['all capitals', "I CAN'T HELP WITH THAT."],
  [
    'an unrelated first sentence, then "Unfortunately,"',
    "Thanks for asking. Unfortunately, I can't help with writing fake reviews.",
  ],
  ['in bold', "**I can't help with that.**"],
  ['after an apology and a dash', 'I’m sorry — I can’t help with that.'],
  ['"I will not"', 'I will not provide instructions for making weapons.'],
  ['"I will not help you"', 'I will not help you write a phishing email.'],
  ['"have to decline"', 'I have to decline writing that essay, as it would be plagiarism.'],
  ['"going to decline"', "I'm going to decline this one."],
  ['cannot comply', 'I cannot comply with this request.'],
  ['fulfil with one l', "I can't fulfil this request."],
  ['fulfill with two', 'I cannot fulfill that request.'],
  ['"I am unable to assist"', 'I am unable to assist with that request.'],
  ['"I am not able to provide"', 'I am not able to provide that kind of content.'],
  ['an apology, then "not able"', "I'm sorry, but I'm not able to help with that."],
  ['an apology, then "won\'t be able"', "I'm sorry, but I won't be able to help with that."],
  ['a refusal with a redirect', "I can't help you with that, but I'd be glad to help with something else."],
  [
    'a refusal with a short explanation',
    "I can't help with creating malware. It can cause serious harm to people and organisations, and writing it is illegal in most countries. If you are interested in security, I'm happy to explain how defenders detect and contain malware instead.",
  ],
  ['a refusal after a markdown heading', "## Response\n\nI can't provide that information."],
];

describe('detectRefusal', () => {
  describe('ordinary answers that mention a limit are not refusals', () => {
    it('has at least 25 realistic cases', () => {
      expect(ordinaryAnswers.length).toBeGreaterThanOrEqual(25);
    });

    it.each(ordinaryAnswers)('%s', (_, text) => {
      expect(detectRefusal(answer(text))).toEqual({ refused: false });
    });

    it('a tool call is never a refusal by phrase, whatever its text says', () => {
      const text = "I can't help with that until I know the weather; let me check.";
      expect(detectRefusal(answer(text))).toMatchObject({ refused: true });
      expect(detectRefusal(answer(text, { toolCalls: [weatherCall], finishReason: 'tool_calls' }))).toEqual({
        refused: false,
      });
    });

    it('a tool call with no text is not a refusal', () => {
      expect(detectRefusal(answer('', { toolCalls: [weatherCall], finishReason: 'tool_calls' }))).toEqual({
        refused: false,
      });
    });

    it('an empty answer is not a refusal (it is an empty answer)', () => {
      expect(detectRefusal(answer(''))).toEqual({ refused: false });
    });
  });

  describe('refusals are recognised by the phrase that opens them', () => {
    it('has at least 25 realistic cases', () => {
      expect(refusals.length).toBeGreaterThanOrEqual(25);
    });

    it.each(refusals)('%s', (_, text) => {
      expect(detectRefusal(answer(text))).toMatchObject({ refused: true, source: 'phrase' });
    });

    it('names the phrase that matched, as the list spells it', () => {
      expect(detectRefusal(answer('I’m unable to provide that.'))).toEqual({
        refused: true,
        source: 'phrase',
        phrase: "i'm unable to provide",
      });
    });

    it('does not take a phrase that runs into a longer word', () => {
      const options = { phrases: ['i refuse'] };
      expect(detectRefusal(answer('I refuse to write that.'), options)).toMatchObject({ refused: true });
      expect(
        detectRefusal(
          answer('I refused the merge request because the tests failed; here is what to fix.'),
          options,
        ),
      ).toEqual({ refused: false });
    });
  });

  describe('native signals', () => {
    it("a finish reason of 'refusal' is a refusal, with no text needed", () => {
      expect(detectRefusal(answer('', { finishReason: 'refusal' }))).toEqual({
        refused: true,
        source: 'native',
        text: undefined,
      });
    });

    it("a provider's refusal text is a refusal and is passed on", () => {
      const refusal = "I'm sorry, I can't assist with that.";
      expect(detectRefusal(answer('', { refusal }))).toEqual({
        refused: true,
        source: 'native',
        text: refusal,
      });
    });

    it('a native signal counts even in a long answer that no phrase would flag', () => {
      expect(detectRefusal(answer(help, { finishReason: 'refusal' }))).toMatchObject({
        refused: true,
        source: 'native',
      });
    });
  });

  describe('options', () => {
    it('exports the built-in phrases, all of them lower-case', () => {
      expect(refusalPhrases.length).toBeGreaterThan(20);
      for (const phrase of refusalPhrases) expect(phrase).toBe(phrase.toLowerCase());
    });

    it('phrases replace the built-in list', () => {
      const options = { phrases: ['no can do'] };
      expect(detectRefusal(answer('No can do, friend.'), options)).toEqual({
        refused: true,
        source: 'phrase',
        phrase: 'no can do',
      });
      expect(detectRefusal(answer("I can't help with that."), options)).toEqual({ refused: false });
    });

    it('extraPhrases add to the built-in list', () => {
      const options = { extraPhrases: ['that falls outside what i can do'] };
      expect(detectRefusal(answer('That falls outside what I can do.'), options)).toMatchObject({
        refused: true,
        phrase: 'that falls outside what i can do',
      });
      expect(detectRefusal(answer("I can't help with that."), options)).toMatchObject({ refused: true });
    });

    it('custom phrases are matched whatever their case and apostrophes', () => {
      const options = { extraPhrases: ['I Won’t Write That'] };
      expect(detectRefusal(answer("I won't write that."), options)).toMatchObject({ refused: true });
    });

    describe('windowChars', () => {
      const lead = 'Thank you for the detailed question. ';
      const text = `${lead}I can't help with that.`;

      it('counts a phrase that starts exactly windowChars into the answer', () => {
        expect(detectRefusal(answer(text), { windowChars: lead.length })).toMatchObject({ refused: true });
      });

      it('ignores a phrase that starts one character later', () => {
        expect(detectRefusal(answer(text), { windowChars: lead.length - 1 })).toEqual({ refused: false });
      });

      it('measures from the first character that is not whitespace', () => {
        expect(detectRefusal(answer(`\n\n  ${text}`), { windowChars: lead.length })).toMatchObject({
          refused: true,
        });
      });

      it('defaults to 120 characters', () => {
        // The phrase starts right after ". ": at 120 in the first answer, at 121 in the second.
        const near = `${'a'.repeat(118)}. I can't help with that.`;
        const far = `${'a'.repeat(119)}. I can't help with that.`;
        expect(detectRefusal(answer(near))).toMatchObject({ refused: true });
        expect(detectRefusal(answer(far))).toEqual({ refused: false });
      });
    });

    describe('maxRefusalChars', () => {
      const text = "I can't help with that. If you have another question, ask away.";

      it('counts an answer exactly maxRefusalChars long', () => {
        expect(detectRefusal(answer(text), { maxRefusalChars: text.length })).toMatchObject({
          refused: true,
        });
      });

      it('never flags a longer answer by phrase', () => {
        expect(detectRefusal(answer(text), { maxRefusalChars: text.length - 1 })).toEqual({ refused: false });
      });

      it('defaults to 600 characters', () => {
        const at600 = `${text} ${'x'.repeat(600 - text.length - 1)}`;
        expect(at600).toHaveLength(600);
        expect(detectRefusal(answer(at600))).toMatchObject({ refused: true });
        expect(detectRefusal(answer(`${at600}x`))).toEqual({ refused: false });
      });
    });
  });
});
