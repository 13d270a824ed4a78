// The viewer's number format for values read by people (header, legends, panels, axes): a fixed
// number of significant digits, trailing zeros dropped, so 0.7799999999999999 reads 0.78 and
// -153.2871 reads -153.3. (tables.js's fmt keeps 4 decimals: the attribution tables compare columns.)

/** `v` with `digits` significant digits; integers whole; huge or tiny values in exponent form. */
export function fmtSig(v, digits = 4) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return trimExponent(v.toExponential(digits - 1));
  const fixed = Number(v.toPrecision(digits));
  return String(fixed);
}

function trimExponent(s) {
  return s.replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** A value with its unit (from the feature metadata), when it has one: "0.1 rad". */
export function withUnit(v, unit, digits = 4) {
  const text = fmtSig(v, digits);
  return unit && text !== '—' ? `${text} ${unit}` : text;
}

/** Axis tick labels: the same format, shorter (3 digits). */
export const axisValues = (u, ticks) => ticks.map((t) => fmtSig(t, 3));
