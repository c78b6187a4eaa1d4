import { fileURLToPath } from 'node:url';
import TJS from 'typescript-json-schema';

const modelEntry = fileURLToPath(new URL('../src/model/process.ts', import.meta.url));

/** Builds the process-file JSON Schema from the DSL types (deterministic output). */
export function generateProcessSchema() {
  const program = TJS.getProgramFromFiles([modelEntry], {
    strict: true,
    skipLibCheck: true,
    module: 'ESNext',
    moduleResolution: 'Bundler',
  });
  const schema = TJS.generateSchema(program, 'ProcessFile', {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    titles: false,
    defaultProps: false,
    aliasRef: false,
    ignoreErrors: false,
  });
  if (!schema) throw new Error('typescript-json-schema produced no schema');
  // The union becomes if/then/else on `kind`, so a mistake in a campaign is reported against the
  // campaign shape alone instead of against both branches of an anyOf.
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://luoshi.dev/schema/process.schema.json',
    title: 'Luoshi process file 落实过程文件',
    description: schema.description,
    type: 'object',
    required: ['kind'],
    properties: {
      kind: {
        description: '类别 — campaign (活动) or subprocess (子流程).',
        enum: ['campaign', 'subprocess'],
      },
    },
    if: { properties: { kind: { const: 'campaign' } } },
    then: { $ref: '#/definitions/CampaignDefinition' },
    else: { $ref: '#/definitions/SubProcessDefinition' },
    definitions: schema.definitions,
  };
}
