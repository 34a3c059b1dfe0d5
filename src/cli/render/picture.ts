/** Writes an SVG view as .svg, or rasterised as .png. */
import { svgToPng } from './png.js';
import { writeOutput } from './output-file.js';

export async function writePicture(abs: string, kind: 'svg' | 'png', svg: string): Promise<void> {
  await writeOutput(abs, kind === 'svg' ? svg : svgToPng(svg).data);
}
