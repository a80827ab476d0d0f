import type { FastifyInstance } from 'fastify';
import { Problem } from '../modules/core/problem.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

// C0 controls except tab, line feed and carriage return, DEL, and C1 controls. Names like
// "Петров-Водкин" and "О'Брайен" pass; a NUL or an escape sequence in a surname does not.
const forbiddenControl = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function findControlCharacter(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return forbiddenControl.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findControlCharacter(item, `${path}/${index}`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findControlCharacter(key, path) ?? findControlCharacter(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Every string in NFC, keys too: "Семёнов" typed with a decomposed ё (е + U+0308, as some
 * keyboards and copy-pastes from PDFs give it) is then the same text wherever it goes — the list
 * filter, identification, a stored name, a password.
 */
export function toNfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((item) => toNfc(item)) as T;
  if (value && typeof value === 'object') {
    // fromEntries defines each key as data, so a "__proto__" key from JSON stays a plain field.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.normalize('NFC'), toNfc(item)])) as T;
  }
  return value;
}

function rejectControlCharacters(value: unknown, where: string) {
  const path = findControlCharacter(value, where);
  if (path) throw new Problem('request.control_characters', 400, 'Control characters are not accepted', path);
}

/**
 * Input is checked before validation: broken UTF-8 is refused rather than silently replaced by
 * U+FFFD (Node's default), control characters are refused everywhere, and every string of the
 * body, the query and the path parameters is brought to NFC.
 */
export function registerStrictInput(app: FastifyInstance) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new Problem('request.invalid_utf8', 400, 'The body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new Problem('request.invalid_json', 400, 'The JSON body is empty'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      done(new Problem('request.invalid_json', 400, 'The body is not valid JSON'), undefined);
      return;
    }
    try {
      rejectControlCharacters(parsed, 'body');
    } catch (problem) {
      done(problem as Error, undefined);
      return;
    }
    done(null, toNfc(parsed));
  });

  app.addHook('onRequest', async (request) => {
    const queryStart = request.url.indexOf('?');
    if (queryStart < 0) return;
    // Fastify's query parser would turn broken percent-encoding into U+FFFD without a word.
    for (const part of request.url.slice(queryStart + 1).split('&')) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        throw new Problem('request.invalid_utf8', 400, 'The query string is not valid UTF-8');
      }
    }
  });
  app.addHook('preValidation', async (request) => {
    rejectControlCharacters(request.query, 'querystring');
    rejectControlCharacters(request.params, 'params');
    request.query = toNfc(request.query);
    request.params = toNfc(request.params);
  });
}
