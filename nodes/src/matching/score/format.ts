// Number formatting for explanations. Scoring formats a dozen numbers per pair, and
// Number#toFixed and float-to-string are a measurable share of a 20 µs budget: these build the
// text from integer tenths instead.

/** 10.24 → "10.2", 10 → "10", −0.04 → "0". */
export function oneDecimal(value: number): string {
  const tenths = Math.round(Math.abs(value) * 10);
  const digit = tenths % 10;
  const text = digit === 0 ? `${tenths / 10}` : `${(tenths - digit) / 10}.${digit}`;
  return value < 0 && tenths !== 0 ? `-${text}` : text;
}

/** +6.1, −2.0 (a real minus sign, easier to read), 0.0 */
export function signed(weight: number): string {
  const tenths = Math.round(Math.abs(weight) * 10);
  const digit = tenths % 10;
  const text = `${(tenths - digit) / 10}.${digit}`;
  if (tenths === 0) return text;
  return weight > 0 ? `+${text}` : `−${text}`;
}
