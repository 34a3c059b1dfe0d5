import { api, scopeParams, type Scope } from '../../lib/api.ts';

export interface TreeNode {
  name: string;
  value: number;
  children?: TreeNode[];
}

export function fetchTree(cid: string, scope: Scope): Promise<TreeNode> {
  return api<TreeNode>(`/captures/${cid}/treemap`, scopeParams(scope));
}
