import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_IDS } from '../src/limits.js';
import { validateProcessText } from '../src/validate/validate-processes.js';
import { BASE_CAMPAIGN, BASE_SUBPROCESS, replaceOnce } from './fixtures.js';

/**
 * The validator's contract under hostile generators (issue 16): whatever the input, a result with
 * coded, bilingual diagnostics comes back, no exception escapes, and each validation of these
 * inputs (all under 1 MB) takes less than the issue's 2 s. They take milliseconds; the bound is
 * generous on purpose, since the machine is shared.
 */
const BOUND_MS = 2000;
const HEAD = '# yaml-language-server: $schema=../schema/process.schema.json\n';

function checkContract(text: string, library: readonly { file: string; text: string }[] = []): boolean {
  // CPU time of this test process, not the wall clock: test files run side by side on a shared machine.
  const started = process.cpuUsage();
  const result = validateProcessText(text, { file: 'hostile.yaml', library: [{ file: 'sub.yaml', text: BASE_SUBPROCESS }, ...library] });
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  expect(Array.isArray(result.diagnostics)).toBe(true);
  if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of result.diagnostics) {
    expect(d.code).toMatch(/^DSL_[A-Z0-9_]+$/);
    expect(d.message.en.length).toBeGreaterThan(0);
    expect(d.message.zh.length).toBeGreaterThan(0);
    expect(d.line ?? 1).toBeGreaterThan(0);
  }
  expect(ms).toBeLessThan(BOUND_MS);
  return result.ok;
}

const OPERATORS = [' and ', ' or ', ' + ', ' * ', ' == ', ' && ', '.', ' < '];

/** A condition of many terms, some wrapped in parentheses or negations, up to tens of thousands of characters. */
const hugeCondition = fc
  .record({
    terms: fc.integer({ min: 1, max: 9000 }),
    operator: fc.constantFrom(...OPERATORS),
    parens: fc.integer({ min: 0, max: 600 }),
    nots: fc.integer({ min: 0, max: 600 }),
    name: fc.constantFrom('event.a', 'flags.x', 'scores.自评', 'rank', 'a', '1', "'t'", '__proto__', 'constructor.prototype'),
  })
  .map(({ terms, operator, parens, nots, name }) => `${'not '.repeat(nots)}${'('.repeat(parens)}${Array.from({ length: terms }, () => name).join(operator)}${')'.repeat(parens)}`);

/** A length of time nobody writes: hundreds of digits, zero, full-width or Chinese digits, units of every kind. */
const absurdDuration = fc
  .record({
    amount: fc.oneof(
      fc.stringMatching(/^[0-9]{1,500}$/),
      // Past 308 digits a number reads as Infinity, on which luxon throws.
      fc.integer({ min: 300, max: 500 }).map((n) => '9'.repeat(n)),
      fc.constantFrom('0', '00', '100000000', '9007199254740993', '1e9', '-5', '５', '十万', '二十'),
      fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
    ),
    unit: fc.constantFrom('天', '个工作日', '周', '个月', '年', ' days', ' working days', ' constructor', ' __proto__', 'd'),
  })
  .map(({ amount, unit }) => `${amount}${unit}`);

/** Where a length of time or a date can be written in the base campaign, and how. */
const durationSite = fc.constantFrom(
  (d: string) => replaceOnce(BASE_CAMPAIGN, 'due: 5月20日前', `due: "动员部署后${d}内"`),
  (d: string) => replaceOnce(BASE_CAMPAIGN, 'due: 5月20日前', `due: "开始后${d}"`),
  (d: string) => replaceOnce(BASE_CAMPAIGN, 'due: 5月20日前', `due: "报送方案后${d}内"`),
  (d: string) => replaceOnce(BASE_CAMPAIGN, '        due: 5月20日前\n', `        due: 5月20日前\n        remindBefore: "${d}"\n`),
  (d: string) => replaceOnce(BASE_CAMPAIGN, 'window: 4月至5月', `window: "start+0d..start+${d.replace(/[^0-9]/g, '') || '0'}d"`),
  (d: string) => replaceOnce(BASE_CAMPAIGN, 'year: 2010\n', `year: 2010\nstart: "start+${d.replace(/[^0-9]/g, '') || '0'}d"\n`),
);

/** Ids that are reserved words, carry control or invisible characters, or are very long. */
const hostileId = fc.oneof(
  fc.constantFrom(...RESERVED_IDS),
  fc.constantFrom('a\\0b', 'a\\u0001b', 'a\\u200bb', 'a\\u202eb', 'a\\ufeffb', 'a\\u007fb', '\\u0085'),
  fc.integer({ min: 101, max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** Where an id can be declared in the base campaign. */
const idSite = fc.constantFrom(
  (id: string) => replaceOnce(BASE_CAMPAIGN, 'id: 报送方案', `id: "${id}"`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, '{ id: 党办, title: 党办 }', `{ id: "${id}", title: 党办 }`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, '{ id: 取消评先评优, title: 取消评先评优 }', `{ id: "${id}", title: 取消评先评优 }`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, '  - id: 组织实施', `  - id: "${id}"`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, 'weights: { 自评: 1, 互评: 1 }', `weights: { 自评: 1, 互评: 1, "${id}": 1 }`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, '      - use: 小评\n', `      - use: 小评\n        id: "${id}"\n`),
  (id: string) => replaceOnce(BASE_CAMPAIGN, 'id: 测试活动', `id: "${id}"`),
);

/** A graph of sub-processes: chains, diamonds (each uses the next several times) and random edges, cycles included. */
const subprocessGraph = fc.oneof(
  fc.record({ count: fc.integer({ min: 8, max: 120 }), fanout: fc.integer({ min: 1, max: 4 }) }).map(({ count, fanout }) =>
    Array.from({ length: count }, (_, i) => ({ id: `g${i}`, uses: i < count - 1 ? Array.from({ length: fanout }, () => `g${i + 1}`) : [] })),
  ),
  fc
    .record({
      count: fc.integer({ min: 1, max: 40 }),
      edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 200 }),
    })
    .map(({ count, edges }) =>
      Array.from({ length: count }, (_, i) => ({
        id: `g${i}`,
        uses: edges.filter(([from]) => from % count === i).map(([, to]) => `g${to % count}`),
      })),
    ),
);

function subprocessFiles(graph: readonly { id: string; uses: readonly string[] }[]): { file: string; text: string }[] {
  return graph.map(({ id, uses }) => ({
    file: `${id}.yaml`,
    text: `${HEAD}kind: subprocess\nid: ${id}\ntitle: ${id}\ntasks:\n  - { id: ${id}-task, title: t, owner: 支部 }\n${uses.length ? `uses:\n${uses.map((u, i) => `  - { use: ${u}, id: ${id}-${i} }`).join('\n')}\n` : ''}`,
  }));
}

// The bound is on validating, not on loading the module: the JSON Schema is compiled on first use.
beforeAll(() => {
  validateProcessText(BASE_CAMPAIGN, { library: [{ file: 'sub.yaml', text: BASE_SUBPROCESS }] });
});

describe('the validator never throws, and answers in bounded time, on hostile input', () => {
  it('huge and deep conditions', () => {
    fc.assert(
      fc.property(hugeCondition, (condition) => {
        checkContract(replaceOnce(BASE_CAMPAIGN, 'when: "event.verified"', `when: ${JSON.stringify(condition)}`));
      }),
      { numRuns: 150 },
    );
  });

  it('sub-process chains, diamonds and cycles', () => {
    fc.assert(
      fc.property(subprocessGraph, (graph) => {
        const campaign = replaceOnce(BASE_CAMPAIGN, '      - use: 小评\n', '      - use: 小评\n      - use: g0\n');
        checkContract(campaign, subprocessFiles(graph));
      }),
      { numRuns: 150 },
    );
  });

  it('absurd lengths of time and dates', () => {
    fc.assert(fc.property(durationSite, absurdDuration, (site, duration) => {
        checkContract(site(duration));
      }), { numRuns: 400 });
  });

  it('reserved, invisible and overlong ids', () => {
    // Beyond the contract: such an id is never accepted.
    fc.assert(fc.property(idSite, hostileId, (site, id) => {
        expect(checkContract(site(id))).toBe(false);
      }), { numRuns: 300 });
  });

  it('prototype-named keys anywhere in the document', () => {
    const base = parse(BASE_CAMPAIGN) as unknown;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(...RESERVED_IDS), fc.anything(), (path, key, value) => {
        // Insert `key: value` into the mapping reached by following `path` (indices taken modulo each level's size).
        let node: unknown = structuredClone(base);
        const root = node;
        for (const step of path) {
          const children = node !== null && typeof node === 'object' ? Object.values(node).filter((v) => v !== null && typeof v === 'object') : [];
          if (children.length === 0) break;
          node = children[step % children.length];
        }
        if (node !== null && typeof node === 'object' && !Array.isArray(node)) Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
        checkContract(HEAD + stringify(root));
        checkContract(JSON.stringify(root));
      }),
      { numRuns: 300 },
    );
  });
});
