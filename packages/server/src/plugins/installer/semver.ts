/**
 * The small part of semver the installer needs: parse and compare exact versions (for
 * `minimumHostVersion`), and tell a version range from a dist-tag (for `name@<range|tag>` specs).
 * Written here rather than pulled in as a dependency because the rules are short and fixed.
 */

export interface SemverVersion {
  major: number;
  minor: number;
  patch: number;
  /** Dot-separated prerelease identifiers; empty for a release. Build metadata is dropped. */
  prerelease: string[];
}

const NUMERIC_IDENTIFIER = "(?:0|[1-9]\\d*)";
const PRERELEASE_IDENTIFIER = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
const BUILD_IDENTIFIER = "[0-9a-zA-Z-]+";
const EXACT_VERSION = new RegExp(
  `^v?(${NUMERIC_IDENTIFIER})\\.(${NUMERIC_IDENTIFIER})\\.(${NUMERIC_IDENTIFIER})` +
    `(?:-(${PRERELEASE_IDENTIFIER}(?:\\.${PRERELEASE_IDENTIFIER})*))?` +
    `(?:\\+${BUILD_IDENTIFIER}(?:\\.${BUILD_IDENTIFIER})*)?$`,
);

/** Parses `1.2.3`, `1.2.3-beta.1`, `1.2.3+build` (a leading `v` is tolerated); null when not a version. */
export function parseSemver(input: string): SemverVersion | null {
  const match = EXACT_VERSION.exec(input.trim());
  if (!match) return null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] ? match[4].split(".") : [],
  };
}

function compareIdentifiers(a: string, b: string): number {
  const aNumeric = /^\d+$/.test(a);
  const bNumeric = /^\d+$/.test(b);
  if (aNumeric && bNumeric) return Math.sign(Number(a) - Number(b));
  // Numeric identifiers always have lower precedence than alphanumeric ones.
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver precedence: -1, 0 or 1. A prerelease sorts before its release (1.0.0-rc.1 < 1.0.0). */
export function compareSemver(a: SemverVersion, b: SemverVersion): number {
  for (const key of ["major", "minor", "patch"] as const) {
    if (a[key] !== b[key]) return Math.sign(a[key] - b[key]);
  }
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const length = Math.max(a.prerelease.length, b.prerelease.length);
  for (let index = 0; index < length; index++) {
    const left = a.prerelease[index];
    const right = b.prerelease[index];
    if (left === undefined) return -1;
    if (right === undefined) return 1;
    const order = compareIdentifiers(left, right);
    if (order !== 0) return order;
  }
  return 0;
}

// A partial version as ranges allow it: `1`, `1.2`, `1.x`, `1.2.*`, `1.2.3-rc.1+b`.
const X_RANGE_PART = `(?:${NUMERIC_IDENTIFIER}|[xX*])`;
const PARTIAL_VERSION =
  `v?${X_RANGE_PART}(?:\\.${X_RANGE_PART}(?:\\.${X_RANGE_PART}` +
  `(?:-${PRERELEASE_IDENTIFIER}(?:\\.${PRERELEASE_IDENTIFIER})*)?` +
  `(?:\\+${BUILD_IDENTIFIER}(?:\\.${BUILD_IDENTIFIER})*)?)?)?`;
const COMPARATOR = new RegExp(`^(?:[~^]|[<>]=?|=)?${PARTIAL_VERSION}$`);
const HYPHEN_RANGE = new RegExp(`^${PARTIAL_VERSION} - ${PARTIAL_VERSION}$`);

/**
 * True when `input` is a semver range npm would accept (`^1.2.0`, `~1.2`, `>=1 <2`, `1.x || 2`,
 * `1.2.3 - 2.0.0`, `*`, `1.2.3`). npm refuses dist-tags that look like ranges, so anything that
 * passes here is a range and anything else is a candidate tag.
 */
export function isSemverRange(input: string): boolean {
  const trimmed = input.trim();
  if (trimmed === "") return false;
  return trimmed.split("||").every((alternative) => {
    // Operators may be followed by spaces (`>= 1.2.3`); glue them to their version first.
    const normalised = alternative.trim().replace(/([<>]=?|=|~|\^)\s+/g, "$1");
    if (normalised === "") return true; // `1.x || ` style empty alternative means "any"
    if (HYPHEN_RANGE.test(normalised)) return true;
    return normalised.split(/\s+/).every((comparator) => COMPARATOR.test(comparator));
  });
}
