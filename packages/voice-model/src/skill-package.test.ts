import { describe, expect, it } from 'vitest';
import { buildSkillPackage, SkillPackageError, type SkillPackageInput, spokenValue } from './skill-package';

const input: SkillPackageInput = {
  skillName: 'Green Leaf Tea',
  invocationName: 'green leaf tea house',
  endpointUrl: 'https://shop.greenleaf.example/alexa',
  privacyPolicyUrl: 'https://greenleaf.example/privacy',
  termsOfUseUrl: 'https://greenleaf.example/terms',
  locales: ['en-US'],
  products: [
    { id: 'p1', name: 'Sencha <speak>Green</speak>', synonyms: ['green tea'] },
    { id: 'p2', name: 'Rooibos™', synonyms: ['green tea', 'red bush'] },
    { id: 'p3', name: 'Jasmine Pearls' },
    { id: 'p4', name: 'JASMINE PEARLS' },
    { id: 'p5', name: 'That One', synonyms: ['it', 'the tea'] },
  ],
  categories: ['Green Tea', 'Gifts & Sets'],
};

const read = (files: Record<string, string>, path: string) => JSON.parse(files[path] as string);

describe('buildSkillPackage', () => {
  it("writes the merchant's manifest and one model per locale, with their name, endpoint and catalog", () => {
    const files = buildSkillPackage(input);
    expect(Object.keys(files).sort()).toEqual([
      'skill-package/interactionModels/custom/en-US.json',
      'skill-package/skill.json',
    ]);
    const { manifest } = read(files, 'skill-package/skill.json');
    expect(manifest.apis.custom.endpoint.uri).toBe('https://shop.greenleaf.example/alexa');
    expect(manifest.publishingInformation.locales['en-US'].name).toBe('Green Leaf Tea');
    expect(manifest.publishingInformation.locales['en-US'].examplePhrases[0]).toBe(
      'Alexa, open green leaf tea house',
    );
    expect(manifest.privacyAndCompliance.locales['en-US']).toEqual({
      privacyPolicyUrl: 'https://greenleaf.example/privacy',
      termsOfUseUrl: 'https://greenleaf.example/terms',
    });
    const model = read(files, 'skill-package/interactionModels/custom/en-US.json').interactionModel
      .languageModel;
    expect(model.invocationName).toBe('green leaf tea house');
    const values = (type: string) =>
      model.types.find((t: { name: string }) => t.name === type).values as {
        id: string;
        name: { value: string; synonyms: string[] };
      }[];
    expect(values('PRODUCT')).toEqual([
      // Markup in a name is only letters to Alexa; a name said twice is one value; a reference phrase
      // ("that one", "it") is never a product; a synonym goes to the first product that claims it.
      { id: 'p1', name: { value: 'sencha speak green speak', synonyms: ['green tea'] } },
      { id: 'p2', name: { value: 'rooibos', synonyms: ['red bush'] } },
      { id: 'p3', name: { value: 'jasmine pearls', synonyms: [] } },
    ]);
    expect(values('CATEGORY').map((v) => v.name.value)).toEqual(['green tea', 'gifts & sets']);
    expect(files['skill-package/interactionModels/custom/en-US.json']).not.toMatch(/[<>]/);
  });

  it('refuses a bad invocation name and a non-https endpoint, naming each field, and writes nothing', () => {
    let error: unknown;
    try {
      buildSkillPackage({ ...input, invocationName: 'Alexa Shop', endpointUrl: 'http://shop.example/alexa' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SkillPackageError);
    const { problems } = error as SkillPackageError;
    expect(Object.keys(problems).sort()).toEqual(['endpointUrl', 'invocationName']);
    expect(problems.invocationName?.join(' ')).toMatch(/lower-case/);
    expect(problems.endpointUrl?.join(' ')).toMatch(/https/);
  });

  it('says what Alexa hears of a name', () => {
    expect(spokenValue('  Café  Crème™ (500 g) ')).toBe('café crème 500 g');
    expect(spokenValue('<audio src="x"/>')).toBe('audio src x');
  });
});
