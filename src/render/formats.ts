/** The formats a plan renders to, in the order `--format` lists them: a leaf, so that flags load no renderer. */
export const OUTPUT_FORMATS = ['text', 'markdown', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
