export { default as View } from './View.svelte';
export const id = 'graph';
export const label = 'Graph';
