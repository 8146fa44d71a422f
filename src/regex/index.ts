/** Regex analysis and matching for mapping regexes (RE2 syntax, claimmap's subset). */
export { analyzeRegex, REGEX_LIMITS, v8Source } from './analyze.js';
export type { AnalyzeOptions, RegexAnalysis } from './analyze.js';
export type { RegexIssue, RegexIssueCode } from './issues.js';
export { compileMatcher } from './matcher.js';
export type { Matcher, RegexCaptures } from './matcher.js';
