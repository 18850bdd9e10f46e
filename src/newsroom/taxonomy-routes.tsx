/** Newsroom handlers of section and tag management. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listSections, listTags } from '../articles/taxonomy-store.ts';
import { ValidationError } from '../lib/errors.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import { NotFound } from '../lib/errors.ts';
import type { AppContext } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { requireCan } from './roles.ts';
import { currentUser } from './routes.tsx';
import { removeSection, removeTag, saveSection, saveTag } from './taxonomy-admin.ts';
import type { AdminFrame } from './views/admin-layout.tsx';
import { TaxonomyPage, type TaxonomyPageProps } from './views/taxonomy-page.tsx';

type TaxonomyRequest = FastifyRequest<{ Params: { id?: string }; Querystring: { saved?: string } }>;

function idOf(raw: string | undefined): number {
  const id = parseId(raw ?? '');
  if (id === undefined) throw new NotFound('No such section or tag');
  return id;
}

export function taxonomyHandlers(ctx: AppContext, frameOf: (request: FastifyRequest, reply: FastifyReply) => AdminFrame) {
  async function render(request: TaxonomyRequest, reply: FastifyReply, failed?: TaxonomyPageProps['failed']) {
    requireCan(currentUser(request), 'taxonomy.manage');
    const [sections, tags] = await Promise.all([listSections(ctx.db), listTags(ctx.db)]);
    const notice = request.query.saved ? 'Saved.' : undefined;
    return sendPage(reply, <TaxonomyPage frame={frameOf(request, reply)} sections={sections} tags={tags} failed={failed} notice={failed ? undefined : notice} />, failed ? 422 : 200);
  }

  /** Runs a change; on ValidationError shows the page again with the failed row's values. */
  async function change(request: TaxonomyRequest, reply: FastifyReply, target: string, run: (values: Record<string, string>) => Promise<void>) {
    const values = Object.fromEntries(['name', 'slug', 'description', 'position'].map((k) => [k, stringField(request.body, k)]));
    try {
      await run(values);
      // Sections are the navigation of every page; a tag's name shows on its articles.
      ctx.events.emit({ type: 'site.changed' });
      return reply.redirect('/admin/taxonomy?saved=1', 303);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return render(request, reply, { target, values, errors: error.fields });
    }
  }

  return {
    page: (request: TaxonomyRequest, reply: FastifyReply) => render(request, reply),
    createSection: (request: TaxonomyRequest, reply: FastifyReply) =>
      change(request, reply, 'section-new', (v) => saveSection(ctx.db, currentUser(request), undefined, { name: v.name!, slug: v.slug!, description: v.description!, position: v.position! })),
    updateSection: (request: TaxonomyRequest, reply: FastifyReply) => {
      const id = idOf(request.params.id);
      return change(request, reply, `section-${id}`, (v) => saveSection(ctx.db, currentUser(request), id, { name: v.name!, slug: v.slug!, description: v.description!, position: v.position! }));
    },
    deleteSection: (request: TaxonomyRequest, reply: FastifyReply) => change(request, reply, 'section', () => removeSection(ctx.db, currentUser(request), idOf(request.params.id))),
    updateTag: (request: TaxonomyRequest, reply: FastifyReply) => {
      const id = idOf(request.params.id);
      return change(request, reply, `tag-${id}`, (v) => saveTag(ctx.db, currentUser(request), id, { name: v.name!, slug: v.slug! }));
    },
    deleteTag: (request: TaxonomyRequest, reply: FastifyReply) => change(request, reply, 'tag', () => removeTag(ctx.db, currentUser(request), idOf(request.params.id))),
  };
}
