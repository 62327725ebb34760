import { describe, expect, it } from 'vitest';
import { chartValuesProblems, type ChartSchema } from '../../../runner/plugins/kube/chart-values-check.js';

const chart: ChartSchema = {
  name: 'jupyterhub',
  version: '4.2.0',
  schema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['proxy'],
    properties: {
      hub: { type: 'object' },
      proxy: { type: 'object' },
      singleuser: {
        type: 'object',
        additionalProperties: false,
        properties: {
          storage: {
            type: 'object',
            additionalProperties: false,
            properties: { capacity: { type: 'string' }, type: { enum: ['dynamic', 'static', 'none'] } },
          },
        },
      },
    },
  },
};

const config = `hub:
  fsGid: 100
singleuser:
  storag:
    capacity: 10Gi
`;

describe('values checked against the chart they go to', () => {
  it('names a mistyped key where it is set, with the nearest key the chart has', () => {
    const problems = chartValuesProblems({ singleuser: { storag: { capacity: '10Gi' } } }, chart, [
      { path: 'config.yaml', text: config },
    ]);
    expect(problems).toEqual([
      'config.yaml:4:3: `singleuser.storag` is not a value of jupyterhub 4.2.0; did you mean `singleuser.storage`?',
    ]);
  });

  it('names a key the chart renamed with its new name, from the version that renamed it on', () => {
    const values = { hub: { fsGid: 100 } };
    expect(chartValuesProblems(values, chart, [{ path: 'config.yaml', text: config }])).toEqual([
      'config.yaml:2:3: `hub.fsGid` is not a value of jupyterhub 4.2.0: since 2.0.0 it is `hub.podSecurityContext.fsGroup`',
    ]);
    expect(chartValuesProblems(values, { name: 'jupyterhub', version: '1.2.0' }, [])).toEqual([]);
    expect(chartValuesProblems({ auth: { type: 'github' } }, { name: 'jupyterhub', version: '3.3.8' }, [])).toEqual([
      '`auth.type` is not a value of jupyterhub 3.3.8: since 0.11.0 it is `hub.config.JupyterHub.authenticator_class`',
    ]);
  });

  it('names values of the wrong type and outside an enum, and leaves to the chart what its defaults provide', () => {
    const later = 'singleuser:\n  storage:\n    capacity: 10\n    type: dynamc\n';
    expect(
      chartValuesProblems({ singleuser: { storage: { capacity: 10, type: 'dynamc' } } }, chart, [
        { path: 'config.yaml', text: 'singleuser: {}\n' },
        { path: 'secrets.yaml', text: later },
      ]),
    ).toEqual([
      "secrets.yaml:3:5: `singleuser.storage.capacity` must be string in jupyterhub 4.2.0's values schema",
      'secrets.yaml:4:5: `singleuser.storage.type` must be one of ["dynamic","static","none"] in jupyterhub 4.2.0\'s values schema',
    ]);
    // `proxy` is required, but the chart's own values give it; a null removes a default, as helm does.
    expect(chartValuesProblems({ singleuser: { storage: { capacity: null } } }, chart, [])).toEqual([]);
  });

  it('checks nothing against a schema of a draft it cannot read, rather than refuse good values', () => {
    const odd = { ...chart, schema: { $schema: 'https://example.org/not-a-draft', type: 'object' } };
    expect(chartValuesProblems({ anything: 1 }, odd, [])).toEqual([]);
  });
});
