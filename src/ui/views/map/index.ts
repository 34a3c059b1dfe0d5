export { default as View } from './View.svelte';
export const id = 'map';
export const label = 'Map';
