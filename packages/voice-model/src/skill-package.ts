import {
  type InteractionModel,
  interactionModel,
  parseInteractionModel,
  REFERENCE_SLOT_TYPE,
} from './interaction-model';
import { checkInvocationName } from './invocation-name';

/*
 * A merchant's own skill package: `skill.json` and one interaction model per enabled locale, as the ASK
 * CLI (`ask deploy`) or the developer console's JSON editor takes them. The intents, their samples and the
 * REFERENCE type are Pitchline's (the handlers answer exactly these); the invocation name, the endpoint,
 * the publishing and privacy details, and the catalog as PRODUCT and CATEGORY values are the merchant's.
 * The catalog is in the model so a one-shot request ("ask <name> about <product>"), which comes before
 * the skill could send its dynamic entities, still resolves.
 */

/** The locales a package can be generated for today; others need their own samples and speech. */
export const PACKAGE_LOCALES = ['en-US'] as const;
export type PackageLocale = (typeof PACKAGE_LOCALES)[number];

export interface SkillPackageInput {
  skillName: string;
  invocationName: string;
  /** Where Alexa sends requests: this server's public URL + /alexa. */
  endpointUrl: string;
  privacyPolicyUrl: string;
  termsOfUseUrl: string;
  locales: readonly PackageLocale[];
  products: readonly { id: string; name: string; synonyms?: readonly string[] }[];
  categories: readonly string[];
}

export class SkillPackageError extends Error {
  constructor(readonly problems: Record<string, string[]>) {
    super(
      Object.entries(problems)
        .map(([field, list]) => `${field}: ${list.join(' ')}`)
        .join('; '),
    );
    this.name = 'SkillPackageError';
  }
}

/** Alexa limits a slot value to 140 characters; speech-safe text only (no markup, no control characters). */
const MAX_VALUE_CHARS = 140;
/** Alexa's cap is 50,000 values per type; a catalog that large is left to server-side matching. */
const MAX_PRODUCT_VALUES = 10_000;

/** A product or category name as Alexa should hear it: letters, digits and a little punctuation. */
export function spokenValue(name: string): string {
  return (
    name
      // Symbols first: NFKC would turn ™ into the letters "tm", which nobody says.
      .replace(/\p{S}/gu, ' ')
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}' .&]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase()
      .slice(0, MAX_VALUE_CHARS)
      .trim()
  );
}

function httpsUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') return 'It must be an https:// address (Alexa calls nothing else).';
    return undefined;
  } catch {
    return 'It is not a web address.';
  }
}

export function buildSkillPackage(input: SkillPackageInput): Record<string, string> {
  const problems: Record<string, string[]> = {};
  const invocation = checkInvocationName(input.invocationName);
  if (!invocation.ok) problems.invocationName = invocation.problems;
  const skillName = input.skillName.trim();
  if (skillName.length < 2 || skillName.length > 50)
    problems.skillName = ['It must be 2 to 50 characters long.'];
  for (const field of ['endpointUrl', 'privacyPolicyUrl', 'termsOfUseUrl'] as const) {
    const problem = httpsUrl(input[field]);
    if (problem) problems[field] = [problem];
  }
  if (input.locales.length === 0) problems.locales = ['Choose at least one locale.'];
  if (Object.keys(problems).length > 0) throw new SkillPackageError(problems);
  const invocationName = invocation.ok ? invocation.name : '';

  const files: Record<string, string> = {
    'skill-package/skill.json': `${JSON.stringify(manifest(input, skillName, invocationName), null, 2)}\n`,
  };
  for (const locale of input.locales) {
    const model = localeModel(input, invocationName);
    // Whatever we generate must parse as the model the handlers are tested against.
    parseInteractionModel(model);
    files[`skill-package/interactionModels/custom/${locale}.json`] = `${JSON.stringify(model, null, 2)}\n`;
  }
  return files;
}

function localeModel(input: SkillPackageInput, invocationName: string): InteractionModel {
  const template = interactionModel.interactionModel;
  const products = catalogValues(input.products.slice(0, MAX_PRODUCT_VALUES));
  const categories = catalogValues(input.categories.map((name) => ({ id: name, name })));
  const types = template.languageModel.types.map((type) =>
    type.name === 'PRODUCT'
      ? { ...type, values: products }
      : type.name === 'CATEGORY'
        ? { ...type, values: categories }
        : type,
  );
  return {
    interactionModel: {
      ...template,
      languageModel: { ...template.languageModel, invocationName, types },
    },
  };
}

/**
 * One value per distinct spoken name; a synonym that repeats a name or another synonym is dropped, and so
 * is anything that sounds like a reference ("it", "the second one"), which must stay a REFERENCE value.
 */
function catalogValues(items: readonly { id: string; name: string; synonyms?: readonly string[] }[]) {
  const taken = new Set<string>(REFERENCE_PHRASES);
  const values: { id: string; name: { value: string; synonyms: string[] } }[] = [];
  const byId = new Map<string, (typeof values)[number]>();
  for (const item of items) {
    const value = spokenValue(item.name);
    if (value === '' || taken.has(value) || byId.has(item.id)) continue;
    taken.add(value);
    const entry = { id: item.id, name: { value, synonyms: [] as string[] } };
    values.push(entry);
    byId.set(item.id, entry);
  }
  for (const item of items) {
    const entry = byId.get(item.id);
    if (!entry) continue;
    for (const synonym of item.synonyms ?? []) {
      const spoken = spokenValue(synonym);
      if (spoken === '' || taken.has(spoken)) continue;
      taken.add(spoken);
      entry.name.synonyms.push(spoken);
    }
  }
  return values;
}

/** Every phrase of the REFERENCE type, as the template model declares them. */
const REFERENCE_PHRASES: readonly string[] = (
  interactionModel.interactionModel.languageModel.types.find((t) => t.name === REFERENCE_SLOT_TYPE)?.values ??
  []
).flatMap((v) => [v.name.value, ...(v.name.synonyms ?? [])]);

function manifest(input: SkillPackageInput, skillName: string, invocationName: string) {
  const locales = Object.fromEntries(
    input.locales.map((locale) => [
      locale,
      {
        name: skillName,
        summary: `Browse ${skillName}'s catalog, hear what's on offer and order by voice.`,
        description: `${skillName} lets you browse the catalog by category, hear about products and prices, build a cart and check out with your linked account. Ask where your order is at any time.`,
        examplePhrases: [
          `Alexa, open ${invocationName}`,
          `Alexa, ask ${invocationName} what's new`,
          `Alexa, ask ${invocationName} where is my order`,
        ],
        keywords: ['shopping', 'order', 'store'],
      },
    ]),
  );
  return {
    manifest: {
      manifestVersion: '1.0',
      publishingInformation: {
        locales,
        isAvailableWorldwide: false,
        distributionCountries: ['US'],
        distributionMode: 'PUBLIC',
        category: 'SHOPPING',
        testingInstructions: `Link an account first. Say 'open ${invocationName}', 'what do you have', 'add two of those', 'what's in my cart', 'check out'.`,
      },
      apis: {
        custom: {
          // A certificate from a trusted authority for a dedicated host; 'Wildcard' for *.example.com.
          endpoint: { uri: input.endpointUrl, sslCertificateType: 'Trusted' },
        },
      },
      permissions: [],
      privacyAndCompliance: {
        allowsPurchases: true,
        usesPersonalInfo: true,
        isChildDirected: false,
        isExportCompliant: true,
        containsAds: false,
        locales: Object.fromEntries(
          input.locales.map((locale) => [
            locale,
            { privacyPolicyUrl: input.privacyPolicyUrl, termsOfUseUrl: input.termsOfUseUrl },
          ]),
        ),
      },
    },
  };
}
