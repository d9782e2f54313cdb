// What plugin SQL may do, decided on tokens (sql-lexer.ts), never on raw text. Three entry points:
// - runtime query (ctx.db.query): one SELECT or WITH statement;
// - runtime execute (ctx.db.execute): one INSERT, UPDATE, DELETE (or WITH … of those) whose write targets are in the
//   plugin's schema;
// - migration statements: DDL and DML on the plugin's schema (an allow-list of statement kinds).
// Everywhere: no reference to another schema (public except the declared core read tables, pg_catalog,
// information_schema, pg_*, other plugins' plugin_* schemas, any other schema of the database, the database name
// itself), no SET/RESET/ROLE changes, no functions that run SQL text or touch the server (set_config, pg_*, lo_*,
// dblink*, *_to_xml, ts_stat, …). The database then enforces the rest (see plugin-database.ts: read-only
// transactions, search_path, and on PostgreSQL a per-plugin role).
import { isIdent, SqlSyntaxError, splitStatements, type Token } from "./sql-lexer.js";

export class SqlRefusedError extends Error {
  override readonly name = "SqlRefusedError";
}

export interface GuardContext {
  /** the plugin's own schema */
  schema: string;
  /** declared coreReadTables (readable as public.<table>) */
  coreReadTables: readonly string[];
  /** every schema name of the database (refused as qualifiers unless it is the plugin's own) */
  knownSchemas?: ReadonlySet<string>;
  /** the current database's name (refused as a qualifier: `db.schema.table`) */
  databaseName?: string;
}

/** A write target of a statement: the relation an INSERT/UPDATE/DELETE/TRUNCATE changes. */
export interface WriteTarget {
  /** qualifier as written (null when unqualified) */
  schema: string | null;
  name: string;
}

export interface CheckedStatement {
  text: string;
  /** leading keyword(s), e.g. "select", "create table" */
  kind: string;
  writeTargets: WriteTarget[];
  /** `CREATE SCHEMA IF NOT EXISTS <own schema>`: nothing to run */
  noop: boolean;
}

const DENIED_FUNCTIONS = new Set([
  "set_config",
  "ts_stat",
  "ts_rewrite",
  "query_to_xml",
  "query_to_xmlschema",
  "query_to_xml_and_xmlschema",
  "cursor_to_xml",
  "cursor_to_xmlschema",
  "table_to_xml",
  "table_to_xmlschema",
  "table_to_xml_and_xmlschema",
  "schema_to_xml",
  "schema_to_xmlschema",
  "schema_to_xml_and_xmlschema",
  "database_to_xml",
  "database_to_xmlschema",
  "database_to_xml_and_xmlschema",
]);
const DENIED_FUNCTION_PREFIXES = ["pg_", "lo_", "dblink", "binary_upgrade_"];
/** Functions whose first argument names a relation as text: allowed only on the plugin's own sequences. */
const RELATION_TEXT_FUNCTIONS = new Set(["nextval", "setval", "currval"]);

const RUNTIME_QUERY_KINDS = new Set(["select", "with"]);
const RUNTIME_EXECUTE_KINDS = new Set(["insert", "update", "delete", "with"]);
const MIGRATION_KINDS = new Set([
  "create table",
  "create index",
  "create unique index",
  "create sequence",
  "create view",
  "create or replace view",
  "create materialized view",
  "create type",
  "create domain",
  "create schema",
  "alter table",
  "alter index",
  "alter sequence",
  "alter view",
  "alter materialized view",
  "alter type",
  "alter domain",
  "drop table",
  "drop index",
  "drop sequence",
  "drop view",
  "drop materialized view",
  "drop type",
  "drop domain",
  "comment on",
  "refresh materialized view",
  "insert",
  "update",
  "delete",
  "truncate",
  "select",
  "with",
]);
/** Word sequences refused anywhere in a migration (they reach outside the schema or change ownership). */
const MIGRATION_DENIED_SEQUENCES: string[][] = [
  ["inherits"],
  ["partition", "of"],
  ["tablespace"],
  ["owner", "to"],
];
/** Migration kinds that may read core tables (FROM/JOIN); any kind but these may reference them in a foreign key. */
const MIGRATION_READING_KINDS = new Set([
  "create table",
  "create view",
  "create or replace view",
  "create materialized view",
  "insert",
  "update",
  "delete",
  "select",
  "with",
]);
const MIGRATION_NO_CORE_KINDS = new Set(["truncate", "comment on", "refresh materialized view"]);

/** Where a `public.<declared table>` reference may stand. */
type PublicReadRule = (previous: Token | undefined) => boolean;
const ANYWHERE: PublicReadRule = () => true;

function migrationPublicRule(kind: string): PublicReadRule {
  if (kind.startsWith("drop") || MIGRATION_NO_CORE_KINDS.has(kind)) return () => false;
  return (previous) => {
    if (previous?.kind === "word" && previous.value === "references") return true;
    if (!MIGRATION_READING_KINDS.has(kind)) return false;
    return (
      (previous?.kind === "word" && (previous.value === "from" || previous.value === "join")) ||
      previous?.kind === "comma"
    );
  };
}

function describe(token: Token): string {
  return token.kind === "quoted" ? `"${token.value}"` : token.value;
}

function refuse(message: string): never {
  throw new SqlRefusedError(message);
}

/** The statement's kind: its leading keywords, as far as the allow-lists need them. */
function kindOf(tokens: Token[]): string {
  const words: string[] = [];
  for (const token of tokens.slice(0, 5)) {
    if (token.kind !== "word") break;
    words.push(token.value);
  }
  const [first = "", second = "", third = "", fourth = ""] = words;
  if (first === "create" || first === "alter" || first === "drop") {
    if (second === "or" && third === "replace") return `${first} or replace ${fourth}`;
    if (second === "unique" && third === "index") return `${first} unique index`;
    if (second === "materialized" && third === "view") return `${first} materialized view`;
    return `${first} ${second}`;
  }
  if (first === "comment" && second === "on") return "comment on";
  if (first === "refresh" && second === "materialized") return "refresh materialized view";
  if (tokens[0] && tokens[0].kind !== "word") return tokens[0].value;
  return first;
}

function isSchemaName(name: string, context: GuardContext): boolean {
  if (name === context.schema) return false;
  if (
    name === "public" ||
    name === "information_schema" ||
    name.startsWith("pg_") ||
    name.startsWith("plugin_")
  )
    return true;
  if (context.databaseName && name === context.databaseName) return true;
  return context.knownSchemas?.has(name) ?? false;
}

/** Every `a.b[.c]` chain: refuse qualifiers naming another schema (public.<declared core table> allowed). */
function checkQualifiedNames(tokens: Token[], context: GuardContext, publicRead: PublicReadRule): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isIdent(token) || tokens[i + 1]?.kind !== "dot") continue;
    if (i > 0 && tokens[i - 1]!.kind === "dot") continue; // inside a chain already checked
    const parts: Token[] = [token];
    let j = i + 1;
    while (tokens[j]?.kind === "dot" && (isIdent(tokens[j + 1]) || tokens[j + 1]?.kind === "op")) {
      const part = tokens[j + 1]!;
      if (part.kind === "op") break; // t.*
      parts.push(part);
      j += 2;
    }
    for (let p = 0; p < parts.length - 1; p++) {
      const qualifier = parts[p]!.value;
      if (!isSchemaName(qualifier, context)) continue;
      const table = parts[p + 1]!.value;
      if (qualifier === "public" && p === 0 && context.coreReadTables.includes(table)) {
        if (publicRead(tokens[i - 1])) continue;
        refuse(
          `public.${table} cannot be referenced here: core tables are read (FROM/JOIN) or referenced by a foreign ` +
            "key, never changed",
        );
      }
      if (qualifier === "public") {
        refuse(
          `public.${table} is not readable by this plugin: only tables declared in manifest.database.coreReadTables ` +
            `(${context.coreReadTables.length > 0 ? context.coreReadTables.join(", ") : "none declared"}) may be read`,
        );
      }
      refuse(
        `${describe(parts[p]!)}.${parts[p + 1]!.value} refers to another schema; plugin SQL may only use its own ` +
          `schema ${context.schema}`,
      );
    }
  }
}

function checkFunctions(tokens: Token[], context: GuardContext): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!isIdent(token) || tokens[i + 1]?.kind !== "lparen") continue;
    const name = token.value.toLowerCase();
    if (DENIED_FUNCTIONS.has(name) || DENIED_FUNCTION_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      refuse(
        `function ${name}() is not allowed in plugin SQL (it runs SQL text or reaches server internals)`,
      );
    }
    if (/_to_xml(schema|_and_xmlschema)?$/.test(name)) {
      refuse(`function ${name}() is not allowed in plugin SQL (it runs SQL text)`);
    }
    if (RELATION_TEXT_FUNCTIONS.has(name)) {
      const argument = tokens[i + 2];
      if (argument?.kind !== "string") {
        refuse(`${name}() needs the sequence name as a string literal in plugin SQL`);
      }
      const relation = argument.value.trim();
      const dot = relation.lastIndexOf(".");
      if (dot !== -1) {
        const qualifier = relation.slice(0, dot).replace(/^"|"$/g, "");
        if (qualifier !== context.schema) refuse(`${name}('${relation}') refers to another schema`);
      } else if (relation.toLowerCase().startsWith("pg_")) {
        refuse(`${name}('${relation}') refers to a system relation`);
      }
    }
  }
}

function checkNoSessionChanges(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "word") continue;
    // SET/RESET change the session only as statements of their own (inside UPDATE … SET they assign columns).
    if ((token.value === "set" || token.value === "reset") && i === 0) {
      const what = tokens[1]?.value === "role" ? " ROLE" : "";
      refuse(
        `${token.value.toUpperCase()}${what} statements are not allowed in plugin SQL (search_path and role are fixed)`,
      );
    }
    if (token.value === "search_path") refuse("search_path cannot be changed or named in plugin SQL");
    if (token.value === "session_authorization") refuse("SESSION AUTHORIZATION is not allowed in plugin SQL");
  }
}

/** The relations INSERT INTO / UPDATE / DELETE FROM / TRUNCATE [TABLE] name (also inside WITH). */
export function writeTargetsOf(tokens: Token[]): WriteTarget[] {
  const targets: WriteTarget[] = [];
  const readName = (start: number): WriteTarget | null => {
    let k = start;
    if (tokens[k]?.kind === "word" && tokens[k]!.value === "only") k++;
    const first = tokens[k];
    if (!isIdent(first)) return null;
    if (tokens[k + 1]?.kind === "dot" && isIdent(tokens[k + 2])) {
      return { schema: first.value, name: tokens[k + 2]!.value };
    }
    return { schema: null, name: first.value };
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "word") continue;
    const previous = tokens[i - 1];
    let target: WriteTarget | null = null;
    if (token.value === "insert" && tokens[i + 1]?.value === "into") target = readName(i + 2);
    else if (token.value === "delete" && tokens[i + 1]?.value === "from") target = readName(i + 2);
    else if (token.value === "truncate") {
      target = readName(tokens[i + 1]?.value === "table" ? i + 2 : i + 1);
    } else if (
      token.value === "update" &&
      // not `FOR UPDATE`, `ON UPDATE CASCADE`, `DO UPDATE SET` (upsert, its target is the INSERT's)
      !(previous?.kind === "word" && ["for", "on", "do", "key", "no"].includes(previous.value))
    ) {
      target = readName(i + 1);
    }
    if (target) targets.push(target);
  }
  return targets;
}

function checkWriteTargets(targets: WriteTarget[], context: GuardContext): void {
  for (const target of targets) {
    if (target.schema !== null && target.schema !== context.schema) {
      refuse(
        `${target.schema}.${target.name} is outside the plugin namespace: plugin SQL may only write to its own ` +
          `schema ${context.schema}`,
      );
    }
    if (target.name.startsWith("pg_"))
      refuse(`${target.name} is a system relation; plugin SQL cannot write to it`);
  }
}

function checkMigrationWords(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    for (const sequence of MIGRATION_DENIED_SEQUENCES) {
      if (sequence.every((word, k) => tokens[i + k]?.kind === "word" && tokens[i + k]!.value === word)) {
        refuse(`${sequence.join(" ").toUpperCase()} is not allowed in plugin migrations`);
      }
    }
  }
}

function single(sql: string): Token[] {
  let statements: ReturnType<typeof splitStatements>;
  try {
    statements = splitStatements(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) refuse(error.message);
    throw error;
  }
  if (statements.length === 0) refuse("the SQL text is empty");
  if (statements.length > 1) refuse("one statement per call: multiple statements are not allowed");
  return statements[0]!.tokens;
}

/** ctx.db.query: one SELECT/WITH statement reading the plugin schema (and declared core tables). */
export function checkRuntimeQuery(sql: string, context: GuardContext): CheckedStatement {
  const tokens = single(sql);
  const kind = kindOf(tokens);
  checkNoSessionChanges(tokens);
  if (!RUNTIME_QUERY_KINDS.has(kind)) {
    refuse(
      `db.query is read-only: it runs SELECT or WITH statements, not ${kind.toUpperCase()}; use db.execute for writes`,
    );
  }
  checkNoSessionChanges(tokens);
  checkQualifiedNames(tokens, context, ANYWHERE);
  checkFunctions(tokens, context);
  const writeTargets = writeTargetsOf(tokens);
  if (writeTargets.length > 0) {
    refuse("db.query is read-only: it cannot INSERT, UPDATE or DELETE (use db.execute)");
  }
  return { text: sql, kind, writeTargets, noop: false };
}

/** ctx.db.execute: one INSERT/UPDATE/DELETE whose targets are in the plugin schema. */
export function checkRuntimeExecute(sql: string, context: GuardContext): CheckedStatement {
  const tokens = single(sql);
  const kind = kindOf(tokens);
  checkNoSessionChanges(tokens);
  if (!RUNTIME_EXECUTE_KINDS.has(kind)) {
    refuse(
      `db.execute runs INSERT, UPDATE or DELETE statements on the plugin namespace, not ${kind.toUpperCase()}` +
        (kind.startsWith("create") || kind.startsWith("alter") || kind.startsWith("drop")
          ? " (schema changes belong in migration files)"
          : ""),
    );
  }
  checkNoSessionChanges(tokens);
  checkQualifiedNames(tokens, context, ANYWHERE);
  checkFunctions(tokens, context);
  const writeTargets = writeTargetsOf(tokens);
  checkWriteTargets(writeTargets, context);
  return { text: sql, kind, writeTargets, noop: false };
}

/** One statement of a migration file. */
export function checkMigrationStatement(
  tokens: Token[],
  text: string,
  context: GuardContext,
): CheckedStatement {
  const kind = kindOf(tokens);
  if (!MIGRATION_KINDS.has(kind)) {
    refuse(`${kind.toUpperCase()} statements are not allowed in plugin migrations`);
  }
  if (kind === "create schema") {
    const words = tokens.map((token) => token.value);
    const name = words[words.length - 1];
    const ifNotExists = words[2] === "if" && words[3] === "not" && words[4] === "exists";
    if (ifNotExists && tokens.length === 6 && name === context.schema) {
      return { text, kind, writeTargets: [], noop: true };
    }
    refuse(`CREATE SCHEMA is not allowed in plugin migrations (the host creates ${context.schema})`);
  }
  checkNoSessionChanges(tokens);
  checkMigrationWords(tokens);
  checkQualifiedNames(tokens, context, migrationPublicRule(kind));
  checkFunctions(tokens, context);
  const writeTargets = writeTargetsOf(tokens);
  checkWriteTargets(writeTargets, context);
  return { text, kind, writeTargets, noop: false };
}

/** Split and check a whole migration file; throws SqlRefusedError naming the statement. */
export function checkMigrationFile(sql: string, context: GuardContext): CheckedStatement[] {
  let statements: ReturnType<typeof splitStatements>;
  try {
    statements = splitStatements(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) refuse(error.message);
    throw error;
  }
  return statements.map((statement, index) => {
    try {
      return checkMigrationStatement(statement.tokens, statement.text, context);
    } catch (error) {
      if (error instanceof SqlRefusedError) {
        throw new SqlRefusedError(`statement ${index + 1} (${preview(statement.text)}): ${error.message}`);
      }
      throw error;
    }
  });
}

export function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
