import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';

/** Not a plugin that runs: the loader replaces this step with the named playbook's steps. */
export const importPlaybookPlugin = definePlugin({
  name: 'import_playbook',
  summary: "Insert another playbook's steps here (its vars become defaults); paths are relative to this playbook.",
  schema: Type.String({
    minLength: 1,
    pattern: '\\.ya?ml$',
    description: 'The playbook to insert, relative to this playbook, e.g. deploy-jhub.yml.',
  }),
  plan(): StepPlan {
    throw new Error('import_playbook steps are expanded when the playbook loads');
  },
});
