export { default as View } from './View.svelte';
export { default as Brush } from './Brush.svelte';
export const id = 'timeline';
export const label = 'Timeline';
