import jsep from 'jsep';
import { DSL_LIMITS } from '../limits.js';

/**
 * The condition language: comparisons and boolean logic over named facts of a subject. It is
 * parsed into a tree by jsep and walked by `evaluateCondition`; nothing is ever executed as code.
 */
export type ConditionNode =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'name'; readonly path: readonly string[] }
  | { readonly type: 'not'; readonly operand: ConditionNode }
  | { readonly type: 'negate'; readonly operand: ConditionNode }
  | { readonly type: 'logical'; readonly operator: 'and' | 'or'; readonly left: ConditionNode; readonly right: ConditionNode }
  | { readonly type: 'compare'; readonly operator: CompareOperator; readonly left: ConditionNode; readonly right: ConditionNode }
  | { readonly type: 'arithmetic'; readonly operator: '+' | '-' | '*' | '/'; readonly left: ConditionNode; readonly right: ConditionNode };

/** Comparison operators a condition may use. */
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * Why a condition could not be read: bad syntax, a construct conditions may not contain, or a
 * size past the limits (`too-long`: characters, `too-deep`: nesting of its tree).
 */
export type ConditionProblem = { readonly kind: 'syntax' | 'forbidden' | 'too-long' | 'too-deep'; readonly detail: string };

const BINARY_OPS_KEPT: ReadonlySet<string> = new Set(['||', '&&', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/']);

// jsep is configured once: word operators added, bitwise and identity operators removed, so a
// condition can only compare and combine.
for (const op of Object.keys(jsep.binary_ops)) if (!BINARY_OPS_KEPT.has(op)) jsep.removeBinaryOp(op);
for (const op of Object.keys(jsep.unary_ops)) if (op !== '!' && op !== '-') jsep.removeUnaryOp(op);
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addUnaryOp('not');
jsep.removeIdentifierChar('$');

const COMPARE: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Parses a condition; returns the tree or the problem, never throws. The length is bounded before
 * jsep runs and the nesting of jsep's tree before it is converted, so the recursive conversion,
 * `conditionNames` and `evaluateCondition` never go deeper than `DSL_LIMITS.conditionDepth`.
 */
export function parseCondition(text: string): { node: ConditionNode } | { problem: ConditionProblem } {
  if (text.length > DSL_LIMITS.conditionLength) {
    return { problem: { kind: 'too-long', detail: `${text.length} characters, more than ${DSL_LIMITS.conditionLength}` } };
  }
  let tree: jsep.Expression;
  try {
    tree = jsep(text);
  } catch (error) {
    return { problem: { kind: 'syntax', detail: error instanceof Error ? error.message : String(error) } };
  }
  if (!tree || (tree.type === 'Compound' && (tree as jsep.Compound).body.length === 0)) {
    return { problem: { kind: 'syntax', detail: 'empty condition' } };
  }
  if (depthExceeds(tree, DSL_LIMITS.conditionDepth)) {
    return { problem: { kind: 'too-deep', detail: `nested more than ${DSL_LIMITS.conditionDepth} levels` } };
  }
  try {
    return { node: convert(tree) };
  } catch (error) {
    if (error instanceof ForbiddenConstruct) return { problem: { kind: 'forbidden', detail: error.message } };
    if (error instanceof MalformedCondition) return { problem: { kind: 'syntax', detail: error.message } };
    throw error;
  }
}

/** Whether jsep's tree is nested deeper than `limit`, measured with an explicit stack. */
function depthExceeds(tree: jsep.Expression, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: tree, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    // Children are the object-valued fields of a jsep node (left, right, argument, object,
    // property, body, arguments…); walking every own field needs no list of node types.
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const child of value) stack.push({ node: child, depth: depth + 1 });
      else if (value !== null && typeof value === 'object' && !(value instanceof RegExp)) stack.push({ node: value, depth: depth + 1 });
    }
  }
  return false;
}

class ForbiddenConstruct extends Error {}
class MalformedCondition extends Error {}

function convert(node: jsep.Expression): ConditionNode {
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (value instanceof RegExp) throw new ForbiddenConstruct('a regular expression');
      return { type: 'literal', value };
    }
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (name === 'true' || name === 'false') return { type: 'literal', value: name === 'true' };
      if (name === 'null') return { type: 'literal', value: null };
      return { type: 'name', path: [name] };
    }
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      const object = convert(member.object);
      if (object.type !== 'name') throw new ForbiddenConstruct('a member of something that is not a name');
      let key: string;
      if (!member.computed && member.property.type === 'Identifier') {
        key = (member.property as jsep.Identifier).name;
      } else if (member.computed && member.property.type === 'Literal' && typeof (member.property as jsep.Literal).value === 'string') {
        key = (member.property as jsep.Literal).value as string;
      } else {
        throw new ForbiddenConstruct('a computed member access');
      }
      return { type: 'name', path: [...object.path, key] };
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      const operand = convert(unary.argument);
      if (unary.operator === '!' || unary.operator === 'not') return { type: 'not', operand };
      if (unary.operator === '-') return { type: 'negate', operand };
      throw new ForbiddenConstruct(`the operator ${unary.operator}`);
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const left = convert(binary.left);
      const right = convert(binary.right);
      const op = binary.operator;
      if (op === '&&' || op === 'and') return { type: 'logical', operator: 'and', left, right };
      if (op === '||' || op === 'or') return { type: 'logical', operator: 'or', left, right };
      if (COMPARE.has(op)) return { type: 'compare', operator: op as CompareOperator, left, right };
      if (op === '+' || op === '-' || op === '*' || op === '/') return { type: 'arithmetic', operator: op, left, right };
      throw new ForbiddenConstruct(`the operator ${op}`);
    }
    case 'CallExpression':
      throw new ForbiddenConstruct('a function call');
    case 'ThisExpression':
      throw new ForbiddenConstruct('"this"');
    case 'ArrayExpression':
      throw new ForbiddenConstruct('a list');
    case 'ConditionalExpression':
      throw new ForbiddenConstruct('a ?: choice');
    case 'Compound':
    case 'SequenceExpression':
      throw new MalformedCondition('two expressions with no operator between them');
    default:
      throw new ForbiddenConstruct(`the construct ${node.type}`);
  }
}

/** Every name path a condition reads, for checking against what a process declares. */
export function conditionNames(node: ConditionNode): string[][] {
  switch (node.type) {
    case 'literal':
      return [];
    case 'name':
      return [[...node.path]];
    case 'not':
    case 'negate':
      return conditionNames(node.operand);
    default:
      return [...conditionNames(node.left), ...conditionNames(node.right)];
  }
}

/** The facts a condition reads: nested plain records of numbers, strings and booleans. */
export type ConditionScope = { readonly [name: string]: ConditionValue };
/** A value a condition can see. */
export type ConditionValue = string | number | boolean | null | undefined | ConditionScope;

/**
 * Evaluates a condition over plain data. Missing names read as undefined (false in logic, never
 * equal to a number); only own properties are visible, so nothing reaches prototypes.
 */
export function evaluateCondition(node: ConditionNode, scope: ConditionScope): ConditionValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name': {
      let current: ConditionValue = scope;
      for (const key of node.path) {
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
        current = (current as ConditionScope)[key];
      }
      return current;
    }
    case 'not':
      return !truthy(evaluateCondition(node.operand, scope));
    case 'negate': {
      const value = evaluateCondition(node.operand, scope);
      return typeof value === 'number' ? -value : undefined;
    }
    case 'logical': {
      const left = truthy(evaluateCondition(node.left, scope));
      if (node.operator === 'and') return left && truthy(evaluateCondition(node.right, scope));
      return left || truthy(evaluateCondition(node.right, scope));
    }
    case 'compare': {
      const left = evaluateCondition(node.left, scope);
      const right = evaluateCondition(node.right, scope);
      if (node.operator === '==') return left === right;
      if (node.operator === '!=') return left !== right;
      if (typeof left !== typeof right || (typeof left !== 'number' && typeof left !== 'string')) return false;
      const l = left as number | string;
      const r = right as number | string;
      if (node.operator === '<') return l < r;
      if (node.operator === '<=') return l <= r;
      if (node.operator === '>') return l > r;
      return l >= r;
    }
    case 'arithmetic': {
      const left = evaluateCondition(node.left, scope);
      const right = evaluateCondition(node.right, scope);
      if (typeof left !== 'number' || typeof right !== 'number') return undefined;
      if (node.operator === '+') return left + right;
      if (node.operator === '-') return left - right;
      if (node.operator === '*') return left * right;
      return right === 0 ? undefined : left / right;
    }
  }
}

/** Whether a condition's value counts as true. */
export function truthy(value: ConditionValue): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}
