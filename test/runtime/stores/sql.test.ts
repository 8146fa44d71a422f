import { describe, expect, it } from 'vitest';
import { sameUnique } from '../../../src/runtime/stores/sql.js';
import type { UniqueEntry } from '../../../src/runtime/types.js';

const I = 'https://idp.example.com';
const email = (value: string, verified = true): UniqueEntry => ({ field: 'email', value, verified });

describe('sameUnique (shared by SqliteStore and PostgresStore)', () => {
  const cases: { name: string; rows: unknown[][]; entries: UniqueEntry[]; out: boolean }[] = [
    { name: 'both empty', rows: [], entries: [], out: true },
    { name: 'SQLite 1 = verified', rows: [[I, 'email', 'a@x', 1]], entries: [email('a@x')], out: true },
    { name: 'PostgreSQL true = verified', rows: [[I, 'email', 'a@x', true]], entries: [email('a@x')], out: true },
    { name: 'SQLite 0 = unverified', rows: [[I, 'email', 'a@x', 0]], entries: [email('a@x', false)], out: true },
    {
      name: 'PostgreSQL false = unverified',
      rows: [[I, 'email', 'a@x', false]],
      entries: [email('a@x', false)],
      out: true,
    },
    { name: 'verified flag differs', rows: [[I, 'email', 'a@x', 0]], entries: [email('a@x')], out: false },
    { name: 'unknown stored flag never matches', rows: [[I, 'email', 'a@x', 2]], entries: [email('a@x')], out: false },
    { name: 'value differs', rows: [[I, 'email', 'a@x', 1]], entries: [email('b@x')], out: false },
    { name: 'issuer differs', rows: [['other', 'email', 'a@x', 1]], entries: [email('a@x')], out: false },
    {
      name: 'a stored row too many',
      rows: [
        [I, 'email', 'a@x', 1],
        [I, 'upn', 'a', 1],
      ],
      entries: [email('a@x')],
      out: false,
    },
    { name: 'an entry too many', rows: [], entries: [email('a@x')], out: false },
    {
      name: 'repeated entry',
      rows: [
        [I, 'email', 'a@x', 1],
        [I, 'upn', 'a', 1],
      ],
      entries: [email('a@x'), email('a@x')],
      out: false,
    },
  ];
  for (const c of cases) it(c.name, () => expect(sameUnique(c.rows, I, c.entries)).toBe(c.out));
});
