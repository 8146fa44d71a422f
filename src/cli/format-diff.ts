/**
 * The unified diff `claimmap fmt --check` prints for a file that is not formatted: the file as it is (`---`) against
 * the formatter's output (`+++`), three lines of context, headers that `patch -p0` accepts. Coloured (removed red,
 * added green, hunk headers cyan) only when colour is on.
 */

const paint = (code: string, s: string) => `\x1b[${code}m${s}\x1b[0m`;

/**
 * @example
 * ```ts
 * await formatDiff('a.claimmap', 'mapping "a" {\n idp oidc "x"\n}\n', 'mapping "a" {\n  idp oidc "x"\n}\n', false);
 * // '--- a.claimmap\tcurrent\n+++ a.claimmap\tformatted\n@@ -1,3 +1,3 @@\n mapping "a" {\n- idp oidc "x"\n+  idp ...'
 * ```
 */
export async function formatDiff(file: string, before: string, after: string, color: boolean): Promise<string> {
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = await import('diff');
  const patch = createTwoFilesPatch(file, file, before, after, 'current', 'formatted', {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
  if (!color) return patch;
  return patch
    .split('\n')
    .map((line) =>
      line.startsWith('---') || line.startsWith('+++')
        ? paint('1', line)
        : line.startsWith('@@')
          ? paint('36', line)
          : line.startsWith('-')
            ? paint('31', line)
            : line.startsWith('+')
              ? paint('32', line)
              : line,
    )
    .join('\n');
}
