import { Type } from '@sinclair/typebox';
import { definePlugin, type StepPlan } from '../plugin-contract/contract.js';
import { PlanError } from '../plugin-contract/plan-error.js';
import { TemplateError } from '../template/template-error.js';
import { formatProblem } from '../input/input-error.js';

const schema = Type.Object(
  {
    src: Type.String({
      minLength: 1,
      description: 'The template file (nunjucks/Jinja syntax); it sees every variable of the run.',
    }),
    dest: Type.String({ minLength: 1, description: 'Where the rendered text is written.' }),
    mode: Type.Optional(
      Type.String({
        pattern: '^0?[0-7]{3}$',
        description:
          'File mode such as "0644" or "0600"; without it a file keeps its mode, and a new one is 0644, or 0600 when it holds a secret.',
      }),
    ),
    vars: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Extra variables for this template only.' }),
    ),
  },
  { additionalProperties: false },
);

interface RenderFacts {
  rendered: string;
  current: string | undefined;
  mode: number | undefined;
}

/** Renders a template file to a path; ok when the file already holds exactly that text. */
export const templateRenderPlugin = definePlugin({
  name: 'template.render',
  summary: 'Render a template file to a path, with a diff; ok when the content (and mode) already match.',
  schema,
  async probe(args, io): Promise<RenderFacts> {
    const template = await io.readFile(args.src);
    if (template === undefined) throw new PlanError(`template ${args.src} does not exist`);
    let rendered: string;
    try {
      rendered = io.render(template, args.vars);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const where = error.position ? { file: args.src, line: error.position.line, col: error.position.col } : undefined;
      throw new PlanError(
        formatProblem({
          ...(where ? { location: where } : {}),
          message: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
        }),
      );
    }
    return { rendered, current: await io.readFile(args.dest), mode: await io.fileMode(args.dest) };
  },
  plan(args, facts): StepPlan {
    if (!facts) throw new PlanError(`cannot render ${args.src}`);
    const mode = args.mode !== undefined ? parseInt(args.mode, 8) : undefined;
    const sameContent = facts.current === facts.rendered;
    const sameMode = mode === undefined || facts.mode === mode;
    if (sameContent && sameMode) return { change: 'none', reason: `${args.dest} is up to date`, actions: [] };
    return {
      change: facts.current === undefined ? 'create' : 'update',
      reason: sameContent ? `set mode of ${args.dest} to ${args.mode}` : `render ${args.src} to ${args.dest}`,
      actions: [{ kind: 'write', path: args.dest, content: facts.rendered, ...(mode !== undefined ? { mode } : {}) }],
      diffs: sameContent ? [] : [{ path: args.dest, before: facts.current, after: facts.rendered }],
    };
  },
});
