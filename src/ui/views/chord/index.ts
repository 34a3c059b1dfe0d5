export { default as View } from './View.svelte';
export const id = 'chord';
export const label = 'Chord';
