/**
 * A line for the developer running the tests: which PostgreSQL suites were skipped and why, and what a load test saw.
 * The one place a test prints; vitest shows it with the test file's output.
 */
export function notice(text: string): void {
  // biome-ignore lint/suspicious/noConsole: a skipped suite must say so, or a green run hides that it never ran
  console.warn(text);
}
