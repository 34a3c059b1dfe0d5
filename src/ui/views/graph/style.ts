import type { GraphNode } from '../../lib/types.ts';

/**
 * Colours of the graph, explained by its legend: what a node is (private or public address, MAC, service,
 * group, Tor relay) and what an edge carried (alerted, Tor, cleartext, or nothing of note).
 */
export const NODE_COLOURS = {
  private: '#2462c9',
  public: '#e07b00',
  mac: '#7b52b8',
  service: '#1a9aa8',
  group: '#5a6b85',
  tor: '#6a1b9a',
} as const;

export const EDGE_COLOURS = {
  alert: '#c8324a',
  tor: '#8e44ad',
  insecure: '#e08a00',
  normal: '#8a93a3',
} as const;

const PRIVATE = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.|169\.254\.|fe80:|fd|fc|::1$)/i;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export function nodeColour(n: GraphNode): string {
  if (n.group && n.id.startsWith('group:')) return NODE_COLOURS.group;
  if (n.port !== null || n.proto !== null) return NODE_COLOURS.service;
  if (MAC.test(n.addr)) return NODE_COLOURS.mac;
  if (n.tags?.some((t) => t.startsWith('tor'))) return NODE_COLOURS.tor;
  if (PRIVATE.test(n.addr)) return NODE_COLOURS.private;
  return NODE_COLOURS.public;
}

/** The most telling class wins: an alert over Tor over cleartext. */
export function edgeStyle(classes: readonly string[]): { colour: string; label: string } {
  if (classes.includes('alert')) return { colour: EDGE_COLOURS.alert, label: 'alert' };
  if (classes.includes('tor')) return { colour: EDGE_COLOURS.tor, label: 'tor' };
  if (classes.includes('insecure')) return { colour: EDGE_COLOURS.insecure, label: 'insecure' };
  return { colour: EDGE_COLOURS.normal, label: 'normal' };
}
