/** A problem in one content file, with the line it is on when known. */
export interface Problem {
  file: string;
  line?: number;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`;
}

/** Thrown when content cannot be loaded: lists every problem at once. */
export class ContentError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Content has ${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ContentError';
    this.problems = problems;
  }
}

/**
 * What a command prints when it stops on an error: a content error lists every problem with its
 * file and line; anything else is one plain line saying what could not be done.
 */
export function describeFailure(error: unknown, doing: string): string {
  if (error instanceof ContentError) return error.message;
  return `${doing}: ${error instanceof Error ? error.message : String(error)}`;
}
