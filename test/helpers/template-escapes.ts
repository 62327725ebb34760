/**
 * Known ways out of a Jinja or nunjucks sandbox, each written to create the file MARK if it ever ran
 * (the JavaScript ones run as written under plain nunjucks: see the control test). `x` is a map
 * variable, `r` a registered result; an entry that is one `{{ expression }}` fits a condition too.
 */
const code = `return process.getBuiltinModule('child_process').execSync('touch MARK')`;
const call = `("${code}")()`;

export const templateEscapes: readonly string[] = [
  // Function constructors reached through a global, a literal or a value.
  `{{ range.constructor${call} }}`,
  `{{ joiner.constructor${call} }}`,
  `{{ cycler.constructor${call} }}`,
  `{{ ''.constructor.constructor${call} }}`,
  `{{ [].constructor.constructor${call} }}`,
  `{{ {}.constructor.constructor${call} }}`,
  `{{ (1).constructor.constructor${call} }}`,
  `{{ x.constructor.constructor${call} }}`,
  `{{ x['constructor']['constructor']${call} }}`,
  `{{ x.a.constructor.constructor${call} }}`,
  `{{ x.toString.constructor${call} }}`,
  `{{ x.valueOf.constructor${call} }}`,
  `{{ x.hasOwnProperty.constructor${call} }}`,
  `{{ (x | list).constructor.constructor${call} }}`,
  `{{ (x | dump).constructor.constructor${call} }}`,
  `{{ [x.constructor][0]${call} }}`,
  `{{ {'k': x.constructor}.k${call} }}`,
  `{{ x if x.constructor.constructor${call} }}`,
  `{{ x | replace('a', x.constructor.constructor${call}) }}`,
  // Keys built at run time, which no reading of the text can see.
  `{{ x["constr" ~ "uctor"]["constr" ~ "uctor"]${call} }}`,
  `{% set c = "constr" ~ "uctor" %}{{ x[c][c]${call} }}`,
  `{% set c = ["con", "structor"] | join %}{{ x[c][c]${call} }}`,
  `{{ x[("__pro" ~ "to__")] }}`,
  `{{ x[["_", "_proto__"] | join] }}`,
  // Prototype and getter tricks.
  `{{ x.__proto__.constructor${call} }}`,
  `{{ x['__proto__'] }}`,
  `{{ x.__defineGetter__ }}`,
  `{{ x.__lookupGetter__('a') }}`,
  `{{ x.prototype }}`,
  `{{ x.constructor.name }}`,
  `{{ toString }}`,
  `{{ constructor }}`,
  // Jinja's classics (Python names reached through globals).
  `{{ lipsum.__globals__.os.popen('touch MARK').read() }}`,
  `{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}`,
  `{{ joiner.__init__.__globals__ }}`,
  `{{ self.__init__.__globals__.__builtins__ }}`,
  `{{ config.__class__.__init__.__globals__['os'].popen('touch MARK') }}`,
  `{{ ''.__class__.__mro__[1].__subclasses__() }}`,
  `{{ request.application.__globals__ }}`,
  // Globals of the host, and the runner's own.
  `{{ process.mainModule.require('child_process') }}`,
  `{{ global.process }}`,
  `{{ require('child_process') }}`,
  `{{ __capture__(1) }}`,
  `{{ __jhub_capture(1) }}`,
  `{{ nosuchfunc(1) }}`,
  `{{ x.a(1) }}`,
  // Filters that read attributes by name.
  `{{ x | attr('constructor') }}`,
  `{{ [x] | map(attribute='constructor') | first }}`,
  `{{ [x] | selectattr('constructor') | list }}`,
  `{{ [x] | groupby('constructor') }}`,
  `{{ [x] | sort(false, true, 'constructor') }}`,
  `{{ [x] | sum('constructor') }}`,
  // Tags that load or define code.
  `{% include "/etc/passwd" %}`,
  `{% import "x.njk" as y %}`,
  `{% from "x.njk" import y %}`,
  `{% extends "x.njk" %}`,
  `{% macro m() %}{{ x.constructor }}{% endmacro %}{{ m() }}`,
  `{% call x.constructor() %}{% endcall %}`,
  `{% if x.constructor %}{% endif %}`,
  `{% for k in x.constructor %}{% endfor %}`,
  `{% set f = x.constructor %}{{ f }}`,
  `{% filter upper %}{{ x.constructor }}{% endfilter %}`,
  `{% for i in [1] %}{{ loop.constructor }}{% endfor %}`,
  // Names nunjucks' lexer lets quotes into, which its compiler pasted into JavaScript (INJECT: code of name characters only).
  `{{ x"&&INJECT&&" | default(1) }}`,
  `{{ x | default(1) | up"&&INJECT&&"per }}`,
  `{{ x is de"&&INJECT&&"fined }}`,
  `{{ x is divisible"&&INJECT&&"by(2) }}`,
  `{% set y"&&INJECT&&" = 1 %}`,
  `{% for k"&&INJECT&&" in [1] %}{% endfor %}`,
  `{% if x"&&INJECT&&" %}{% endif %}`,
  `{{ 1 if x"&&INJECT&&" else 2 }}`,
  // A regular expression that backtracks for ever on a long enough text.
  `{{ x.a | replace(r/(a+)+$/, "b") }}`,
  // Exhaustion: memory and time.
  `{% set r = range(10000) %}{% for a in r %}{% for b in r %}x{% endfor %}{% endfor %}`,
  `{{ [1, 2, 3] | slice(100000000) }}`,
  `{% for i in range(10000) %}{{ 'x' | center(10000) }}{% endfor %}`,
  `{{ x.a | replace("", x.a | center(10000)) | replace("", x.a | center(10000)) }}`,
  `{{ [x, x] | join(",", "constructor") }}`,
  `{{ 'x' | center(1000000000) }}`,
  `{{ 'x' | indent(1000000000) }}`,
  `{{ range(1000000000) | length }}`,
  `{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}`,
];

/** The entries that are one `{{ expression }}`: placeable as a condition. */
export function escapeExpressions(): string[] {
  return templateEscapes.filter(
    (text) => /^\{\{[\s\S]*\}\}$/.test(text) && !text.slice(2, -2).includes('{{') && !text.includes('{%'),
  );
}

/** Code written with name characters alone: a tagged template calls Function, hex escapes stand for the rest. */
const asNameCharacters = (source: string) =>
  `Function\`${source.replace(/[^A-Za-z0-9_]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)}\`\`\``;

/** The same entries, made to create the file at `marker` if they ever ran. */
export function withMarker(text: string, marker: string): string {
  return text.replaceAll('INJECT', asNameCharacters(code.replace('MARK', marker))).replaceAll('MARK', marker);
}
