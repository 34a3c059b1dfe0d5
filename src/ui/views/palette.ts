/** One colour per category, stable across views (the same protocol has the same colour everywhere). */
const COLOURS = [
  '#2462c9',
  '#e07b00',
  '#2e9c4d',
  '#c8324a',
  '#7b52b8',
  '#1a9aa8',
  '#b5651d',
  '#d14fa0',
  '#6b7f1e',
  '#5a6b85',
  '#9c2f2f',
  '#3d8bd9',
];

export function colourOf(name: string | null): string {
  if (!name || name === 'unknown' || name === 'other') return '#9aa3b1';
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}
