import { type TProperties, type TSchema, Type } from 'typebox';

/** Objects reject unknown fields: the server answers 400 rather than silently dropping them. */
export const StrictObject = <T extends TProperties>(properties: T, options: { description?: string } = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

/** Every free-text input has a ceiling, so a 10 KB string is a 400, not a slow query. */
export const Text = (maxLength = 200, options: { minLength?: number; pattern?: string } = {}) =>
  Type.String({ maxLength, ...options });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParam = StrictObject({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
