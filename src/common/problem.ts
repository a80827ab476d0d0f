import { type Static, Type } from 'typebox';

/** RFC 9457 problem details; `code` is the stable machine-readable part the web app translates. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  code: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});
export type ProblemBody = Static<typeof ProblemSchema>;

export const problemTypeUri = (code: string) => `urn:linedesk:problem:${code}`;

/** The problems every signed-in route may answer, for its response schema (OpenAPI lists them). */
export const routeProblems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };
