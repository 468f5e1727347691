/**
 * What someone may type into a search box that FTS5 or SQL would read as
 * syntax: every search must take each of these as words, never as a query.
 */
export const HOSTILE_SEARCHES = [
  '"',
  'lab" OR "x',
  "NEAR(lab hasil, 2)",
  "-lab",
  "lab*",
  "body:lab",
  "'; DROP TABLE messages; --",
  "(((",
  "AND OR NOT",
  "^",
  "\u0000",
  "%",
  "_",
  "+62",
  "0",
] as const;
