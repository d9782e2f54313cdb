// A PostgreSQL tokenizer for the plugin SQL guard: it knows exactly where string literals, quoted identifiers,
// dollar-quoted bodies and comments start and end, so the guard reasons about names and keywords instead of
// matching text (a `public.` inside a string is data, a `"public"."x"` is a reference). Anything it cannot
// read unambiguously (Unicode-escaped `U&` strings or identifiers, unterminated quotes) is refused.

export type TokenKind =
  | "word" // unquoted identifier or keyword, lowercased
  | "quoted" // "quoted identifier", exact
  | "string" // '...', E'...', B'...', X'...', $tag$...$tag$
  | "number"
  | "param" // $1
  | "dot"
  | "comma"
  | "lparen"
  | "rparen"
  | "semicolon"
  | "op";

export interface Token {
  kind: TokenKind;
  /** identifiers: the name (lowercased unless quoted); strings: the contents; others: the text */
  value: string;
  /** offset in the source */
  at: number;
}

export class SqlSyntaxError extends Error {
  override readonly name = "SqlSyntaxError";
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const OP_CHARS = "+-*/<>=~!@#%^&|`?:[]{}";

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      i = skipBlockComment(sql, i);
      continue;
    }
    if ((ch === "u" || ch === "U") && next === "&" && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      throw new SqlSyntaxError(`Unicode-escaped strings and identifiers (U&…) are not accepted (at ${i})`);
    }
    if (ch === "'") {
      const [value, end] = readQuoted(sql, i, "'", false);
      tokens.push({ kind: "string", value, at: i });
      i = end;
      continue;
    }
    if (/[eEbBxXnN]/.test(ch) && next === "'") {
      const [value, end] = readQuoted(sql, i + 1, "'", ch === "e" || ch === "E");
      tokens.push({ kind: "string", value, at: i });
      i = end;
      continue;
    }
    if (ch === '"') {
      const [value, end] = readQuoted(sql, i, '"', false);
      if (value === "") throw new SqlSyntaxError(`Empty quoted identifier (at ${i})`);
      tokens.push({ kind: "quoted", value, at: i });
      i = end;
      continue;
    }
    if (ch === "$") {
      if (next !== undefined && /[0-9]/.test(next)) {
        let end = i + 1;
        while (end < n && /[0-9]/.test(sql[end]!)) end++;
        tokens.push({ kind: "param", value: sql.slice(i, end), at: i });
        i = end;
        continue;
      }
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close === -1) throw new SqlSyntaxError(`Unterminated dollar-quoted string (at ${i})`);
        tokens.push({ kind: "string", value: sql.slice(i + tag[0].length, close), at: i });
        i = close + tag[0].length;
        continue;
      }
      tokens.push({ kind: "op", value: "$", at: i });
      i++;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && next !== undefined && /[0-9]/.test(next))) {
      let end = i + 1;
      while (end < n && /[0-9A-Za-z_.]/.test(sql[end]!)) {
        // `1.` followed by a letter is still a number; `t.1` never reaches here
        end++;
      }
      tokens.push({ kind: "number", value: sql.slice(i, end), at: i });
      i = end;
      continue;
    }
    if (WORD_START.test(ch)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end]!)) end++;
      tokens.push({ kind: "word", value: sql.slice(i, end).toLowerCase(), at: i });
      i = end;
      continue;
    }
    const single: Partial<Record<string, TokenKind>> = {
      ".": "dot",
      ",": "comma",
      "(": "lparen",
      ")": "rparen",
      ";": "semicolon",
    };
    const kind = single[ch];
    if (kind) {
      tokens.push({ kind, value: ch, at: i });
      i++;
      continue;
    }
    if (OP_CHARS.includes(ch)) {
      let end = i + 1;
      while (end < n && OP_CHARS.includes(sql[end]!) && !(sql[end] === "-" && sql[end + 1] === "-")) end++;
      tokens.push({ kind: "op", value: sql.slice(i, end), at: i });
      i = end;
      continue;
    }
    throw new SqlSyntaxError(`Unexpected character ${JSON.stringify(ch)} (at ${i})`);
  }
  return tokens;
}

function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth++;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new SqlSyntaxError(`Unterminated comment (at ${start})`);
}

/** Read a quoted run starting at `start` (the opening quote); doubled quotes escape; E-strings also `\`. */
function readQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): [string, number] {
  let value = "";
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (backslashEscapes && ch === "\\") {
      value += sql.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    value += ch;
    i++;
  }
  throw new SqlSyntaxError(
    `Unterminated ${quote === "'" ? "string literal" : "quoted identifier"} (at ${start})`,
  );
}

/** Statements separated by top-level semicolons (empty ones dropped). Each keeps its tokens and source text. */
export function splitStatements(sql: string): Array<{ tokens: Token[]; text: string }> {
  const tokens = tokenize(sql);
  const statements: Array<{ tokens: Token[]; text: string }> = [];
  let current: Token[] = [];
  let startAt = 0;
  for (const token of tokens) {
    if (token.kind === "semicolon") {
      if (current.length > 0) statements.push({ tokens: current, text: sql.slice(startAt, token.at).trim() });
      current = [];
      startAt = token.at + 1;
      continue;
    }
    if (current.length === 0) startAt = token.at;
    current.push(token);
  }
  if (current.length > 0) statements.push({ tokens: current, text: sql.slice(startAt).trim() });
  return statements;
}

export function isIdent(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === "word" || token.kind === "quoted");
}
