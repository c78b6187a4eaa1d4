import { isoDay } from '../calendar/resolve-date.js';
import type { GradeBand, Grading } from '../model/rules.js';
import { nameList } from './input-checks.js';
import { checkInWindow, readDate } from './calendar-checks.js';
import { checkWeights } from './ranking-check.js';
import type { Place, SemanticContext } from './semantic-context.js';

// 等次评定 — the checks of a grading: its date, its weights, bands that neither overlap nor leave a
// gap, a veto that caps at one of its grades, re-checks by declared evaluations.

/** A band with where it was written, its lower bound (−∞ when open below) for sorting. */
interface PlacedBand {
  readonly band: GradeBand;
  readonly place: Place;
  readonly low: number;
}

export function checkGrading(cx: SemanticContext, grading: Grading, place: Place): void {
  if (grading.at !== undefined) {
    const at = readDate(cx, grading.at, cx.at(place, 'at'));
    if (at) checkInWindow(cx, isoDay(at), at, cx.at(place, 'at'), undefined);
  }
  checkWeights(cx, grading.id, grading.weights, place, { kindEn: 'Grading', kindZh: '等次评定' });
  const grades = new Map<string, Place>();
  const placed: PlacedBand[] = [];
  grading.bands.forEach((band, index) => {
    const bandPlace = cx.at(place, 'bands', index);
    cx.identifier(band.grade, cx.at(bandPlace, 'grade'));
    const previous = grades.get(band.grade);
    if (previous) cx.report('DSL_DUPLICATE_ID', 'error', cx.at(bandPlace, 'grade'), { id: band.grade, other: cx.where(previous) });
    else grades.set(band.grade, bandPlace);
    cx.outcome(band, bandPlace);
    if (band.min !== undefined && band.below !== undefined && band.below <= band.min) {
      cx.report('DSL_GRADE_BAND_EMPTY', 'error', cx.at(bandPlace, 'below'), { id: grading.id, grade: band.grade, min: band.min, below: band.below });
    }
    placed.push({ band, place: bandPlace, low: band.min ?? -Infinity });
  });
  checkBandCover(cx, grading.id, placed);
  cx.grades.set(grading.id, new Set(grades.keys()));
  if (grading.veto) {
    const vetoPlace = cx.at(place, 'veto');
    grading.veto.flags.forEach((flag, i) => cx.refer('flag', flag, cx.at(vetoPlace, 'flags', i)));
    if (!grades.has(grading.veto.cap)) {
      cx.report('DSL_GRADE_UNKNOWN', 'error', cx.at(vetoPlace, 'cap'), { id: grading.id, grade: grading.veto.cap, known: nameList(grades.keys()) });
    }
  }
  (grading.recheck ?? []).forEach((evaluation, i) => cx.refer('evaluation', evaluation, cx.at(place, 'recheck', i)));
}

/**
 * Bands in order of their lower bound, each running to its `below` or the next band's `min`: two that
 * start together or one that runs past the next's start overlap; one that stops short of the next, a
 * lowest band starting above 0, or a highest band with a `below` leave a gap.
 */
function checkBandCover(cx: SemanticContext, id: string, placed: readonly PlacedBand[]): void {
  const sorted = [...placed].sort((a, b) => a.low - b.low);
  const lowest = sorted[0];
  if (lowest && lowest.band.min !== undefined && lowest.band.min > 0) {
    cx.report('DSL_GRADE_BANDS_GAP', 'error', cx.at(lowest.place, 'min'), {
      id,
      detail: `no band holds scores below ${lowest.band.min}`,
      detailZh: `没有等次包含 ${lowest.band.min} 分以下`,
    });
  }
  const highest = sorted.at(-1);
  if (highest && highest.band.below !== undefined && sorted.length > 1) {
    cx.report('DSL_GRADE_BANDS_GAP', 'error', cx.at(highest.place, 'below'), {
      id,
      detail: `no band holds scores of ${highest.band.below} or more`,
      detailZh: `没有等次包含 ${highest.band.below} 分及以上`,
    });
  }
  for (let i = 1; i < sorted.length; i++) {
    const lower = sorted[i - 1] as PlacedBand;
    const upper = sorted[i] as PlacedBand;
    if (lower.low === upper.low) {
      const detail = upper.band.min === undefined ? 'both are open below' : `both start at ${upper.band.min}`;
      cx.report('DSL_GRADE_BANDS_OVERLAP', 'error', cx.at(upper.place, upper.band.min === undefined ? 'grade' : 'min'), {
        id,
        first: lower.band.grade,
        second: upper.band.grade,
        detail,
      });
      continue;
    }
    const below = lower.band.below;
    if (below === undefined) continue;
    if (below > upper.low) {
      cx.report('DSL_GRADE_BANDS_OVERLAP', 'error', cx.at(lower.place, 'below'), {
        id,
        first: lower.band.grade,
        second: upper.band.grade,
        detail: `${lower.band.grade} runs below ${below}, ${upper.band.grade} starts at ${upper.low}`,
      });
    } else if (below < upper.low) {
      cx.report('DSL_GRADE_BANDS_GAP', 'error', cx.at(lower.place, 'below'), {
        id,
        detail: `scores from ${below} to below ${upper.low} fall between ${lower.band.grade} and ${upper.band.grade}`,
        detailZh: `${below} 分至不足 ${upper.low} 分落在「${lower.band.grade}」与「${upper.band.grade}」之间`,
      });
    }
  }
}
