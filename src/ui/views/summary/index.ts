export { default as View } from './View.svelte';
export const id = 'summary';
export const label = 'Summary';
