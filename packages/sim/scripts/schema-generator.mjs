import { fileURLToPath } from 'node:url';
import TJS from 'typescript-json-schema';

const modelEntry = fileURLToPath(new URL('../src/model/scenario.ts', import.meta.url));

/** Builds the scenario-file JSON Schema from the scenario types (deterministic output). */
export function generateScenarioSchema() {
  const program = TJS.getProgramFromFiles([modelEntry], {
    strict: true,
    skipLibCheck: true,
    module: 'ESNext',
    moduleResolution: 'Bundler',
  });
  const schema = TJS.generateSchema(program, 'ScenarioFile', {
    required: true,
    noExtraProps: true,
    strictNullChecks: true,
    titles: false,
    defaultProps: false,
    aliasRef: false,
    ignoreErrors: false,
  });
  if (!schema) throw new Error('typescript-json-schema produced no schema');
  const { $schema: _ignored, definitions, ...root } = schema;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://luoshi.dev/schema/scenario.schema.json',
    title: 'Luoshi scenario file 落实模拟情景文件',
    ...root,
    definitions,
  };
}
