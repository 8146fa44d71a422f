import { describe, expect, it } from 'vitest';
import type { TemplatePart } from '../../src/model/plan.js';
import { renderTemplate, templateShape } from '../../src/evaluate/entitlement-template.js';

describe('renderTemplate', () => {
  const m = {
    groups: ['gh-web-admin', 'web', 'admin', undefined, ''],
    named: Object.assign(Object.create(null), { team: 'web' }),
  };
  const cases: [string, TemplatePart[], string | undefined][] = [
    ['numbered', ['repo:', { group: 1 }, ':', { group: 2 }], 'repo:web:admin'],
    ['named', ['team:', { group: 'team' }], 'team:web'],
    ['whole match', [{ group: 0 }], 'gh-web-admin'],
    ['undefined capture skips', ['x:', { group: 3 }], undefined],
    ['empty capture skips', ['x:', { group: 4 }], undefined],
    ['out-of-range group skips', ['x:', { group: 9 }], undefined],
    ['unknown name skips', ['x:', { group: 'nope' }], undefined],
    ['inherited name never resolves', ['x:', { group: 'constructor' }], undefined],
    ['literal only', ['wiki:read'], 'wiki:read'],
  ];
  it.each(cases)('%s', (_name, parts, want) => {
    expect(renderTemplate(parts, m)).toBe(want);
  });
});

describe('templateShape', () => {
  const cases: [string, TemplatePart[], string, boolean][] = [
    ['prefix + capture', ['repo:', { group: 1 }], 'repo:web', true],
    ['capture needs at least one char', ['repo:', { group: 1 }], 'repo:', false],
    ['other prefix', ['repo:', { group: 1 }], 'wiki:web', false],
    ['capture in the middle', ['repo:', { group: 1 }, ':rw'], 'repo:a:b:rw', true],
    ['suffix must match', ['repo:', { group: 1 }, ':rw'], 'repo:a:ro', false],
    ['prefix and suffix may not overlap', ['ab', { group: 1 }, 'ba'], 'aba', false],
    ['two captures with a separator', [{ group: 1 }, '/', { group: 2 }], 'a/b/c', true],
    ['two captures, separator missing', [{ group: 1 }, '/', { group: 2 }], 'abc', false],
    ['adjacent captures need two chars', [{ group: 1 }, { group: 2 }], 'a', false],
    ['adjacent captures', [{ group: 1 }, { group: 2 }], 'ab', true],
    ['no captures is exact', ['wiki:read'], 'wiki:read', true],
    ['no captures, other', ['wiki:read'], 'wiki:write', false],
  ];
  it.each(cases)('%s', (_name, parts, s, want) => {
    expect(templateShape(parts)(s)).toBe(want);
  });
});
