/**
 * The code blocks of README.md and docs/*.md that tests run, found by the HTML comment right before each one:
 *
 *   <!-- recipe: TOOL PATH -->   a file a hook recipe writes (test/docs/hook-recipes.test.ts)
 *   <!-- run: ... -->            a block to run, see test/docs/doc-blocks.test.ts
 *   <!-- output -->              the output a `run` block shows (the block after the run block)
 *
 * A marker applies to the next fenced block, with only blank lines in between.
 */
export interface MarkedBlock {
  /** The marker's kind: `recipe`, `run` or `output`. */
  kind: string;
  /** The rest of the marker, trimmed. */
  args: string;
  /** The fence's info string (`sh`, `ts`, ...). */
  lang: string;
  /** The block's text, each line ending in "\n". */
  body: string;
  /** 1-based line of the marker. */
  line: number;
  /** Offsets of the body in the document (to rewrite it). */
  bodyStart: number;
  bodyEnd: number;
}

const MARKER = /^<!-- (recipe|run|output)(?::\s*(.*?))?\s*-->\n(?:[ \t]*\n)*(`{3,})([^\n`]*)\n/gm;

/** Every marked block of `text`, in order. A marker without a block after it is an error. */
export function markedBlocks(text: string, file: string): MarkedBlock[] {
  const blocks: MarkedBlock[] = [];
  for (const m of text.matchAll(MARKER)) {
    const fence = m[3]!;
    const bodyStart = m.index + m[0].length;
    const close = text.indexOf(`\n${fence}\n`, bodyStart - 1);
    if (close < 0) throw new Error(`${file}: the block after the marker at offset ${m.index} is not closed`);
    blocks.push({
      kind: m[1]!,
      args: (m[2] ?? '').trim(),
      lang: m[4]!.trim(),
      body: text.slice(bodyStart, close + 1),
      line: text.slice(0, m.index).split('\n').length,
      bodyStart,
      bodyEnd: close + 1,
    });
  }
  const markers = text.match(/^<!-- (?:recipe|run|output)\b/gm)?.length ?? 0;
  if (markers !== blocks.length) throw new Error(`${file}: a marker is not followed by a fenced code block`);
  return blocks;
}
