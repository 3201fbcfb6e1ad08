import ts from 'typescript';

/*
 * What one source file says about the layering: the modules it imports, where it reads process.env, and
 * which of its string literals look like SQL. Read with TypeScript's own parser, so comments and the
 * contents of strings are never mistaken for code, nor code for strings.
 */

export type FileFacts = {
  imports: { specifier: string; line: number }[];
  envReads: number[];
  sqlLiterals: { line: number; text: string }[];
};

/**
 * Statements only a database would run. Matched against each string and template literal, so the word
 * "select" in a sentence does not trip it: the shape of a statement must be there.
 */
const SQL_STATEMENT =
  /\b(SELECT\b[\s\S]*\bFROM\b|INSERT\s+INTO\b|ALTER\s+TABLE\b|CREATE\s+(OR\s+REPLACE\s+)?(TABLE|MATERIALIZED\s+VIEW|VIEW|DATABASE)\b|DROP\s+(TABLE|VIEW|DATABASE)\b|OPTIMIZE\s+TABLE\b|TRUNCATE\s+TABLE\b|SYSTEM\s+(FLUSH|STOP|START)\b)/;

/** Marks a literal that only looks like SQL: hostile input a test feeds in, never run as a statement. */
export const ALLOW_SQL_MARKER = 'layers: not SQL';

export function scanSource(fileName: string, text: string): FileFacts {
  const kind = /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;

  // The pre-processor finds static, dynamic and type-only imports, `export … from` and require().
  const imports = ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos) }));

  const envReads: number[] = [];
  const sqlLiterals: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  const checkSql = (value: string, node: ts.Node) => {
    const line = lineOf(node.getStart(source));
    // A test that feeds hostile text (an injection attempt) says so on the line, or the line above.
    const allowed = [lines[line - 1], lines[line - 2]].some((l) => l?.includes(ALLOW_SQL_MARKER));
    if (SQL_STATEMENT.test(value) && !allowed) {
      sqlLiterals.push({
        line,
        text: value.replace(/\s+/g, ' ').trim().slice(0, 80),
      });
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      checkSql(node.text, node);
    } else if (ts.isTemplateExpression(node)) {
      // The literal parts with a placeholder where each ${…} was: enough to see the statement's shape.
      checkSql([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ? '), node);
    } else if (isProcessEnv(node)) {
      envReads.push(lineOf(node.getStart(source)));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, envReads, sqlLiterals };
}

/** `process.env`, `process?.env` or `process['env']`. */
function isProcessEnv(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node)) {
    return ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'env';
  }
  if (ts.isElementAccessExpression(node)) {
    return (
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process' &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      node.argumentExpression.text === 'env'
    );
  }
  return false;
}
