import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../../sandbox/kube/label-selector.js';

const labels = { app: 'jupyterhub', component: 'hub', 'app.kubernetes.io/managed-by': 'Helm' };

describe('parseLabelSelector', () => {
  it('handles equality, inequality, sets and existence', () => {
    expect(parseLabelSelector('app=jupyterhub,component=hub')(labels)).toBe(true);
    expect(parseLabelSelector('app==jupyterhub,component!=proxy')(labels)).toBe(true);
    expect(parseLabelSelector('component in (hub,proxy)')(labels)).toBe(true);
    expect(parseLabelSelector('component notin (hub)')(labels)).toBe(false);
    expect(parseLabelSelector('app.kubernetes.io/managed-by,!owner')(labels)).toBe(true);
    expect(parseLabelSelector('owner')(labels)).toBe(false);
    expect(parseLabelSelector('app=other')(undefined)).toBe(false);
  });
});
