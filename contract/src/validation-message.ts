import type { z } from 'zod';

/** `root.a.0.b`: where an issue sits, rooted at the argument or body name. */
function pathOf(root: string, path: readonly PropertyKey[]): string {
  return [root, ...path.map(String)].filter((part) => part !== '').join('.');
}

/** One validation failure: where and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * The issues of a failed parse with readable paths (`campaign.lineItems.0.cpmMicros`); an unknown field is named
 * with `is not a known field`.
 */
export function validationIssues(error: z.ZodError, root: string): ValidationIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf(root, [...issue.path, key]), message: 'is not a known field' }))
      : [{ path: pathOf(root, issue.path), message: issue.message }],
  );
}

/** `path: message` of the first issue, the detail of a `VALIDATION_FAILED:` message. */
export function describeIssues(issues: readonly ValidationIssue[], root: string): string {
  const first = issues[0];
  return first === undefined ? `${root}: invalid` : `${first.path}: ${first.message}`;
}
