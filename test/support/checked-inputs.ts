import { parseProcessText, validateParsedFiles, type ValidationResult } from '@luoshi/dsl';
import { validateScenarioText, type ScenarioFile } from '@luoshi/sim';
import { expect } from 'vitest';

/*
 * A test's process and scenario texts read as the CLI reads files, failing the test at once (with the
 * diagnostics shown) if they do not validate: a test of behaviour must not run on a file that is wrong.
 */

/** The definitions of campaign (and sub-process) texts; no error diagnostics allowed (warnings are). */
export function checkedDefinitions(...texts: string[]): ValidationResult {
  const definitions = validateParsedFiles(texts.map((t, i) => parseProcessText(t, texts.length === 1 ? 'campaign.yaml' : `process-${i + 1}.yaml`)));
  expect(definitions.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return definitions;
}

/** A scenario text as loaded; no diagnostics at all allowed. */
export function checkedScenario(text: string): ScenarioFile {
  const loaded = validateScenarioText(text, 'scenario.yaml');
  expect(loaded.diagnostics).toEqual([]);
  return loaded.scenario as ScenarioFile;
}

/** What `simulate` and `monteCarlo` take: definitions, the process's id and a scenario, each checked. */
export function checkedInputs(campaign: string, scenario: string, processId: string): { definitions: ValidationResult; processId: string; scenario: ScenarioFile } {
  return { definitions: checkedDefinitions(campaign), processId, scenario: checkedScenario(scenario) };
}
