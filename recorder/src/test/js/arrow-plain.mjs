// Plain JSON values of Arrow cells: typed arrays and list vectors to arrays, structs to
// objects, 64-bit integers to numbers (or strings beyond 2^53).
export function plain(v) {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'bigint') {
    return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  }
  if (ArrayBuffer.isView(v)) {
    return Array.from(v, plain);
  }
  if (typeof v === 'object' && typeof v.toArray === 'function' && typeof v.length === 'number') {
    return Array.from(v.toArray(), plain); // a Vector: a list value
  }
  if (typeof v === 'object' && typeof v.toJSON === 'function') {
    const o = v.toJSON(); // a struct row
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}
