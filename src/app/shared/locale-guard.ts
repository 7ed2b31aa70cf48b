/**
 * uPlot builds an Intl.NumberFormat from navigator.language when it loads. Chromium started with
 * LANG=C reports "en-US@posix", which Intl rejects (RangeError: Invalid language tag), and the
 * whole page would fail to load. Imported before uplot: replaces such a tag with a valid one.
 */

function validTag(tag: string): boolean {
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

if (typeof navigator !== 'undefined' && !validTag(navigator.language)) {
  const stripped = navigator.language.replace(/@.*$/, '').replace(/_/g, '-');
  const tag = validTag(stripped) ? stripped : 'en-US';
  Object.defineProperty(navigator, 'language', { configurable: true, get: () => tag });
}

export {};
