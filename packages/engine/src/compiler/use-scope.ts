import { anchorIn, keyIn, type UseScope } from '@luoshi/dsl';
import type { ItemPlan } from './campaign-plan.js';

/**
 * 引用命名空间 — a work item as a use of a sub-process runs it: named by the use's scope
 * (`考评2007/自评` where the sub-process runs more than once, `自评` where it runs once), and a due
 * counted from another item of the same sub-process counted from this use's item. The names
 * themselves are `@luoshi/dsl`'s (`use-namespace.ts`), shared with the validator.
 */
export function itemInScope(item: ItemPlan, scope: UseScope): ItemPlan {
  if (scope.prefix === '') return item;
  const due = item.due?.kind === 'after' ? { ...item.due, anchor: anchorIn(scope, item.due.anchor) } : item.due;
  return { ...item, id: keyIn(scope, item.id), ...(due ? { due } : {}) };
}
