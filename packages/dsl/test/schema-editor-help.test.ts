import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { processSchema } from '../src/validate/process-schema.js';

// Hover, examples and snippets for editors (the YAML language server reads markdownDescription,
// examples and defaultSnippets): the five constructs authors write most.
const CONSTRUCTS = ['Phase', 'Task', 'RecurringDuty', 'EscalationLadder', 'Ranking'] as const;
type Definition = { markdownDescription?: string; examples?: unknown[]; defaultSnippets?: { label: string; body: unknown }[]; properties?: Record<string, { description?: string; markdownDescription?: string }> };
const definitions = (processSchema as unknown as { definitions: Record<string, Definition> }).definitions;

describe('editor help in the process schema', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(processSchema as object, 'process');

  it.each(CONSTRUCTS)('%s explains itself in Chinese and English, and offers a snippet', (name) => {
    const d = definitions[name]!;
    expect(d.markdownDescription).toMatch(/\p{Script=Han}/u);
    expect(d.markdownDescription).toMatch(/\*\*[A-Z][a-z]+( [a-z]+)?\*\* — [A-Z]/);
    expect(d.defaultSnippets?.length).toBeGreaterThan(0);
    expect(d.defaultSnippets![0]!.label).toMatch(/\p{Script=Han}.* [a-z]/u);
  });

  it.each(CONSTRUCTS)('the examples of %s are valid as written', (name) => {
    const validate = ajv.compile({ $ref: `process#/definitions/${name}` });
    const examples = definitions[name]!.examples ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(validate(example) ? [] : validate.errors).toEqual([]);
  });

  it('every described key has its description as markdown for hover', () => {
    const missing = Object.entries(definitions).flatMap(([name, d]) =>
      Object.entries(d.properties ?? {})
        .filter(([, p]) => p.description !== undefined && p.markdownDescription !== p.description)
        .map(([key]) => `${name}.${key}`),
    );
    expect(missing).toEqual([]);
  });
});
