export { default as View } from './View.svelte';
export const id = 'parallel';
export const label = 'Parallel';
