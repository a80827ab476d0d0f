/** A browser and the device it runs on, as an administrator says them: "Chrome 131", "iPhone". */
export interface BrowserAndDevice {
  browser: string | null;
  device: string | null;
}

// Order matters: Edge, Opera and Yandex also say "Chrome", Chrome also says "Safari", and every
// iPhone browser is Safari underneath (CriOS, FxiOS name the one the person chose).
const browsers: readonly [RegExp, string, boolean][] = [
  [/\bEdgA?\/(\d+)/, 'Edge', true],
  [/\bEdgiOS\/(\d+)/, 'Edge', true],
  [/\bOPR\/(\d+)/, 'Opera', true],
  [/\bYaBrowser\/(\d+)/, 'Yandex Browser', true],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet', true],
  [/\bFirefox\/(\d+)/, 'Firefox', true],
  [/\bFxiOS\/(\d+)/, 'Firefox', true],
  [/\bCriOS\/(\d+)/, 'Chrome', true],
  [/(?:\b|Headless)(?:Chrome|Chromium)\/(\d+)/, 'Chrome', true],
  // Safari's version is in "Version/"; people know it by the system's, so it is left out.
  [/\bSafari\//, 'Safari', false],
  [/\bcurl\/([\d.]+)/, 'curl', true],
];

const devices: readonly [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function browserAndDevice(userAgent: string | null): BrowserAndDevice {
  if (!userAgent) return { browser: null, device: null };
  let browser: string | null = null;
  for (const [pattern, name, withVersion] of browsers) {
    const match = pattern.exec(userAgent);
    if (match) {
      browser = withVersion && match[1] ? `${name} ${match[1]}` : name;
      break;
    }
  }
  const device = devices.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return { browser, device };
}
