import { type ProblemBody, problemTypeUri } from '../../common/problem.js';

/** A failure the caller can act on; rendered as RFC 9457 problem+json with a stable code. */
export class Problem extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(`${code}: ${title}`);
  }

  toBody(): ProblemBody {
    const body: ProblemBody = {
      type: problemTypeUri(this.code),
      code: this.code,
      title: this.title,
      status: this.status,
    };
    if (this.detail) body.detail = this.detail;
    if (this.errors) body.errors = this.errors;
    return body;
  }
}
