/**
 * Where the browser goes after signing in: a path of this app only. The address is resolved the
 * way the browser would resolve it, so `//evil.example`, `/\evil.example` (browsers read a
 * backslash as a slash) and `https://evil.example` all count as another origin and fall back to
 * "/", which sends each role to its own first screen.
 */
export function safeNext(next: string | null, origin: string): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  // `/..//evil.example` resolves to the path `//evil.example`, which a router would read as a host.
  if (url.origin !== origin || next.includes('\\') || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
