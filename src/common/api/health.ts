import { type Static, Type } from 'typebox';

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  database: Type.Object({
    engine: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
    answers: Type.Boolean(),
  }),
  version: Type.String(),
  uptimeSeconds: Type.Number(),
});
export type Health = Static<typeof Health>;
