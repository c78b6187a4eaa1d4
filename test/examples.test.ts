import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './support/campaign-harness.js';

const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));

describe('the examples the docs point to', () => {
  it('include the embedding example', () => {
    expect(examples).toContain('embed-sqlite.ts');
  });

  for (const file of examples) {
    it(`when ${file} runs, then it finishes and prints what it promises`, () => {
      const out = execFileSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), join('examples', file)], {
        cwd: root,
        encoding: 'utf8',
      });
      if (file === 'embed-sqlite.ts') {
        expect(out).toContain('deployed');
        expect(out).toMatch(/phase 组织实施 \| overdue 支部组织动员, 党员先锋岗报送, 每月学习 \| 王五 ladders \{"举报投诉查实":1\}/);
        // The duplicate request was applied once: one revision line for it.
        expect(out.match(/demo\/办公室支部 r\d+ task\.completed/g)).toHaveLength(1);
        expect(out).toMatch(/rollup \{"campaignId":"demo","unitId":"市民政局","units":3,"phases":\{"ended":3\}/);
        expect(out).toContain('诫勉谈话');
      }
      if (file === 'http-express.ts') expect(out).toBe('health 200; event 200; oa/u01 in 动员部署 at revision 2\n');
      if (file === 'http-fastify.ts') expect(out).toBe('ping 200; event 200; rollup over 3 units\n');
    });
  }
});
