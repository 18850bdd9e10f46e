/** Types for Ghost's untyped Koenig packages, as far as the Ghost importer uses them. */
declare module '@tryghost/kg-mobiledoc-html-renderer' {
  /** A mobiledoc card: `render` returns a simple-dom node (e.g. `env.dom.createRawHTMLSection(html)`). */
  export interface MobiledocCard {
    name: string;
    type: 'dom';
    render(args: { env: { dom: { createRawHTMLSection(html: string): unknown } }; payload: Record<string, unknown> }): unknown;
  }
  export default class MobiledocHtmlRenderer {
    constructor(options?: { cards?: MobiledocCard[]; atoms?: unknown[]; unknownCardHandler?: (args: { env: { name: string } }) => void });
    render(mobiledoc: unknown): string;
  }
}

declare module '@tryghost/kg-default-nodes' {
  /** Every Koenig lexical node class, for the lexical renderer. */
  export const DEFAULT_NODES: unknown[];
}
