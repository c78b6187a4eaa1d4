import { isoDay } from '../calendar/resolve-date.js';
import type { CampaignDefinition } from '../model/process.js';
import type { Ranking } from '../model/rules.js';
import { idProblem } from './input-checks.js';
import { checkInWindow, readDate } from './calendar-checks.js';
import type { Place, SemanticContext } from './semantic-context.js';

// 排名 — the checks of a ranking: its date, its weights, and bands a campaign's scale can fill.

/** Weights (权重) of a ranking or a grading: at least one, each a positive weight of an evaluation. */
export function checkWeights(
  cx: SemanticContext,
  id: string,
  weights: { readonly [evaluation: string]: number },
  place: Place,
  kind: { readonly kindEn: string; readonly kindZh: string },
): void {
  const entries = Object.entries(weights);
  if (entries.length === 0) {
    cx.report('DSL_WEIGHTS', 'error', cx.at(place, 'weights'), { id, ...kind, detail: 'no evaluation is weighted' });
  }
  for (const [evaluation, weight] of entries) {
    cx.problem(idProblem(evaluation), cx.at(place, 'weights', evaluation), true);
    cx.refer('evaluation', evaluation, cx.at(place, 'weights', evaluation), true);
    if (!(weight > 0)) cx.report('DSL_WEIGHTS', 'error', cx.at(place, 'weights', evaluation), { id, ...kind, detail: `${evaluation} has ${weight}` });
  }
}

export function checkRanking(cx: SemanticContext, campaign: CampaignDefinition, ranking: Ranking, place: Place): void {
  const at = readDate(cx, ranking.at, cx.at(place, 'at'));
  if (at) checkInWindow(cx, isoDay(at), at, cx.at(place, 'at'), undefined);
  checkWeights(cx, ranking.id, ranking.weights, place, { kindEn: 'Ranking', kindZh: '评比' });
  cx.condition(ranking.eligible, cx.at(place, 'eligible'), { kind: 'eligible' });
  const available = ranking.subject === 'unit' ? campaign.scale?.units : campaign.scale?.members;
  let total = 0;
  for (const band of ['top', 'bottom'] as const) {
    const b = ranking[band];
    if (!b) continue;
    total += b.count;
    const bandPlace = cx.at(place, band);
    cx.outcome(b, bandPlace, { kind: 'band' });
    if (available !== undefined && b.count > available) {
      cx.report('DSL_RANKING_IMPLAUSIBLE', 'error', cx.at(bandPlace, 'count'), {
        id: ranking.id,
        count: b.count,
        band,
        bandZh: band === 'top' ? '前列' : '末位',
        available,
        subjectEn: ranking.subject === 'unit' ? 'units' : 'members',
        subjectZh: ranking.subject === 'unit' ? '单位' : '人员',
      });
    }
  }
  if (available === undefined && total > 0) {
    cx.report('DSL_RANKING_NO_SCALE', 'warning', place, { id: ranking.id, count: total });
  } else if (available !== undefined && total > available && ranking.top && ranking.bottom && ranking.top.count <= available && ranking.bottom.count <= available) {
    cx.report('DSL_RANKING_IMPLAUSIBLE', 'error', cx.at(place, 'bottom', 'count'), {
      id: ranking.id,
      count: total,
      band: 'top and bottom',
      bandZh: '前列与末位合计',
      available,
      subjectEn: ranking.subject === 'unit' ? 'units' : 'members',
      subjectZh: ranking.subject === 'unit' ? '单位' : '人员',
    });
  }
}
