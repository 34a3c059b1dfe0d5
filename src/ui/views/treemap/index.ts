export { default as View } from './View.svelte';
export const id = 'treemap';
export const label = 'Treemap';
