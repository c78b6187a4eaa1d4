import { describe, expect, it } from 'vitest';
import { call, enc, startedCampaign } from './support.js';

// `?status=` names task statuses (waiting, open, overdue, done, late): a name no task can have is a
// mistake (a misspelt `overdu` would list nothing and look like a unit with nothing overdue), refused
// with 400 HTTP_INVALID_QUERY naming it; known ones still filter.
const started = startedCampaign;

const path = `/v1/instances/${enc('c1/u01')}/tasks`;

describe('the tasks of an instance over HTTP, by status', () => {
  it('when a status is misspelt, then 400 HTTP_INVALID_QUERY names it and the allowed ones', async () => {
    const { handler } = await started();
    for (const query of ['?status=overdu', '?status=open,bogus', '?status=open&status=constructor']) {
      const answer = await call(handler, 'GET', `${path}${query}`, { user: 'office' });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'HTTP_INVALID_QUERY', details: { name: 'status' }, message: { en: expect.stringContaining('one of waiting, open, overdue, done, late') } });
    }
  });

  it('when the statuses are known, then they filter: at the start every task is open, none done', async () => {
    const { handler } = await started();
    const open = await call(handler, 'GET', `${path}?status=open`, { user: 'office' });
    expect(open.status).toBe(200);
    expect((open.body as unknown[]).length).toBeGreaterThan(0);
    const done = await call(handler, 'GET', `${path}?status=done,late`, { user: 'office' });
    expect(done).toMatchObject({ status: 200, body: [] });
  });
});
