import { describe, expect, it } from 'vitest';
import { ClaimTable } from '../../src/import/condition.js';

describe('the claim table of condition-built mappings', () => {
  it('gives a use that reads an absent claim as empty its own declaration', () => {
    const t = new ClaimTable();
    const rule = t.use(['groups'], 'set<string>', { required: false });
    const each = t.use(['groups'], 'set<string>', { required: false, absentEmpty: true });
    expect([rule, each]).toEqual(['groups', 'groups_2']);
    expect(t.declarations.map((d) => [d.name, d.absentEmpty ?? false])).toEqual([
      ['groups', false],
      ['groups_2', true],
    ]);
  });
  it('drops nothing a later use asks for: required wins, comments add up', () => {
    const t = new ClaimTable();
    t.use(['hd'], 'string', { required: false });
    t.use(['hd'], 'string', { required: true, comment: 'claimValidationRules[0]' });
    t.use(['hd'], 'string', { required: false, comment: 'hosted domain' });
    expect(t.declarations).toEqual([
      { name: 'hd', source: ['hd'], type: 'string', required: true, comment: 'claimValidationRules[0]; hosted domain' },
    ]);
  });
  it('prints a comment from the imported file on its line', () => {
    const t = new ClaimTable();
    t.use(['g'], 'set<string>', { required: false, comment: 'a\n  }\n  roles replace {' });
    expect(t.print('')).toEqual(['claims {', '  g : set<string> from "g" optional  // a   }   roles replace {', '}']);
  });
});
