/**
 * From a JSON pointer (ajv's `instancePath`) to the YAML node it names, so schema errors point at file:line:col.
 * Offsets come from the `yaml` package's node ranges; line and column are derived once, by the caller's LineCounter.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { OffsetSpan } from '../../diagnostics/make.js';
import { defined } from '../../model/invariant.js';

/**
 * Splits a JSON pointer into unescaped segments.
 *
 * @example
 * ```ts
 * pointerSegments('/cases/0/a~1b') // ['cases', '0', 'a/b']
 * ```
 */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const keyText = (key: unknown): string | undefined =>
  isScalar(key) ? String(key.value) : typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;

const spanOf = (node: Node | null | undefined): OffsetSpan | null =>
  node?.range ? { start: node.range[0], end: node.range[1] } : null;

/**
 * The span of the node at `pointer`, or of its deepest existing ancestor. With `property`, the span of that key of
 * the map at `pointer` (for "unknown property" errors). Never throws: a pointer that leaves the document stops at
 * the last node found.
 *
 * @example
 * ```ts
 * const doc = parseDocument('cases:\n  - name: x\n', { keepSourceTokens: true });
 * locate(doc, '/cases/0/name') // { start: 16, end: 17 }
 * ```
 */
export function locate(doc: Document, pointer: string, property?: string): OffsetSpan {
  let node: unknown = doc.contents;
  let span: OffsetSpan = spanOf(doc.contents as Node | null) ?? { start: 0, end: 0 };
  const segments = pointerSegments(pointer);
  if (property !== undefined) segments.push(property);
  for (let i = 0; i < segments.length; i++) {
    const seg = defined(segments[i]);
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === seg);
      if (!pair) break;
      const last = i === segments.length - 1;
      // An unknown property points at its key; anything else at the value (or the key when the value is empty).
      const target = last && property !== undefined ? pair.key : isNode(pair.value) ? pair.value : pair.key;
      span = spanOf(target as Node) ?? span;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!isNode(item)) break;
      span = spanOf(item) ?? span;
      node = item;
    } else break;
  }
  return span;
}
