/** Handlers of the newsroom (/admin): first-run setup, sign-in/out, password reset, invitations, articles, users. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listForNewsroom } from '../articles/store.ts';
import { Conflict, NotFound, ValidationError } from '../lib/errors.ts';
import { changeUser } from './user-admin.ts';
import { parseId, stringField } from '../lib/form-input.ts';
import { listAuthors, listSections } from '../articles/taxonomy-store.ts';
import type { ArticleKind, ArticleStatus } from '../db/schema.ts';
import type { AppContext } from '../web/context.ts';
import { sendPage } from '../web/render.ts';
import { formatDateTime } from '../web/site.ts';
import { siteView } from '../web/context.ts';
import { inviteUser, requestPasswordReset, resendInvitation, setPasswordWithToken, tokenUsable } from './account-mail.ts';
import { changeOwnPassword, login, logout, needsSetup, openSession, setupFirstAdmin, type NewsroomUser } from './accounts.ts';
import { can, requireCan } from './roles.ts';
import { clearSessionCookie, readSessionToken, setSessionCookie } from './session-cookie.ts';
import { RateLimited } from './throttle.ts';
import { hashIp } from '../comments/network.ts';
import { listUsers } from './users-store.ts';
import type { AdminFrame } from './views/admin-layout.tsx';
import { AccountPage, ForgotPasswordPage, LoginPage, SessionEndedPage, SetPasswordPage, SetupPage } from './views/auth-pages.tsx';
import { ARTICLE_KINDS, ARTICLE_STATUSES, DashboardPage, type DashboardFilter } from './views/dashboard.tsx';

/** Articles per page of the newsroom list. */
const NEWSROOM_PAGE_SIZE = 30;
import { UsersPage } from './views/users-page.tsx';
import { cookieSecure } from '../web/security-headers.ts';

type Form = Record<string, string>;
type FormRequest = FastifyRequest<{ Body: unknown; Querystring: Record<string, string | undefined> }>;

/** String fields of a urlencoded body (the first value of a repeated field); anything else becomes ''. */
function formOf(request: FastifyRequest): Form {
  const body = request.body && typeof request.body === 'object' ? request.body : {};
  return Object.fromEntries(Object.keys(body).map((k) => [k, stringField(body, k)]));
}

/** Where to go after signing in: only newsroom paths on this site, never another origin. */
export function safeNext(next: string | undefined): string {
  return next && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin';
}

/** The signed-in user; the admin scope's guard has already refused anonymous requests to non-public routes. */
export function currentUser(request: FastifyRequest): NewsroomUser {
  const user = request.newsroomUser;
  if (!user) throw new Error('route is missing the sign-in guard');
  return user;
}

export function newsroomHandlers(ctx: AppContext) {
  const secure = cookieSecure(ctx.config);
  const mailDeps = { ...ctx, siteName: ctx.config.siteName, siteUrl: ctx.config.siteUrl };
  const frame = (request: FastifyRequest, reply: FastifyReply): AdminFrame => ({
    siteName: ctx.config.siteName,
    stylesheet: ctx.stylesheet,
    adminStylesheet: ctx.adminStylesheet,
    language: ctx.config.siteLanguage,
    csrfToken: reply.generateCsrf(),
    user: request.newsroomUser,
    pendingComments: request.pendingComments,
  });
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  async function showLogin(request: FastifyRequest, reply: FastifyReply, state: { values?: Form; errors?: Record<string, string>; message?: string; status?: number; next?: string }) {
    noStore(reply);
    return sendPage(reply, <LoginPage frame={frame(request, reply)} values={state.values ?? {}} errors={state.errors ?? {}} message={state.message} next={safeNext(state.next)} />, state.status);
  }

  return {
    frame,

    async home(request: FormRequest, reply: FastifyReply) {
      if (!request.newsroomUser) return reply.redirect((await needsSetup(ctx.db)) ? '/admin/setup' : '/admin/login', 303);
      const [site, sections, authors] = await Promise.all([siteView(ctx), listSections(ctx.db), listAuthors(ctx.db)]);
      const q = request.query;
      const filter: DashboardFilter = {
        kind: (ARTICLE_KINDS as readonly string[]).includes(stringField(q, 'kind')) ? (stringField(q, 'kind') as ArticleKind) : undefined,
        status: (ARTICLE_STATUSES as readonly string[]).includes(stringField(q, 'status')) ? (stringField(q, 'status') as ArticleStatus) : undefined,
        section: sections.find((s) => s.slug === stringField(q, 'section'))?.slug,
        author: authors.find((a) => a.slug === stringField(q, 'author'))?.slug,
        q: stringField(q, 'q').trim().slice(0, 200),
        page: Math.min(parseId(stringField(q, 'page')) ?? 1, 10_000),
      };
      // Writers below editor only see their own articles (others' drafts and embargoed pieces stay private).
      const seesAll = can(request.newsroomUser, 'article.edit.any');
      const rows = await listForNewsroom(ctx.db, ctx.dialect, {
        status: filter.status,
        kind: filter.kind,
        sectionId: sections.find((s) => s.slug === filter.section)?.id,
        authorId: seesAll ? authors.find((a) => a.slug === filter.author)?.id : (request.newsroomUser.authorId ?? -1),
        search: filter.q,
        limit: NEWSROOM_PAGE_SIZE + 1,
        offset: (filter.page - 1) * NEWSROOM_PAGE_SIZE,
      });
      noStore(reply);
      const page = (
        <DashboardPage
          frame={frame(request, reply)}
          articles={rows.slice(0, NEWSROOM_PAGE_SIZE)}
          hasNext={rows.length > NEWSROOM_PAGE_SIZE}
          filter={filter}
          sections={sections}
          authors={authors}
          canCreate={can(request.newsroomUser, 'article.create')}
          formatTime={(iso) => formatDateTime(site, iso)}
        />
      );
      return sendPage(reply, page);
    },

    /** 401 for a post after the session ended; offers to sign in and return to the page the form was on. */
    async sessionEnded(request: FastifyRequest, reply: FastifyReply) {
      let next = '/admin';
      try {
        const referer = new URL(request.headers.referer ?? '');
        if (referer.origin === new URL(ctx.config.siteUrl).origin || referer.host === request.headers.host) next = safeNext(referer.pathname + referer.search);
      } catch {
        // no usable Referer: back to the newsroom's front page
      }
      return sendPage(reply, <SessionEndedPage frame={frame(request, reply)} next={next} />, 401);
    },

    async setupForm(request: FormRequest, reply: FastifyReply) {
      if (!(await needsSetup(ctx.db))) return reply.redirect('/admin/login', 303);
      return sendPage(reply, <SetupPage frame={frame(request, reply)} values={{}} errors={{}} />);
    },

    async setup(request: FormRequest, reply: FastifyReply) {
      const form = formOf(request);
      if (!(await needsSetup(ctx.db))) return reply.redirect('/admin/login', 303);
      try {
        const user = await setupFirstAdmin(ctx, { email: form.email ?? '', displayName: form.display_name ?? '', password: form.password ?? '' });
        const token = await openSession(ctx, user.id, hashIp(ctx.secret, request.ip), request.headers['user-agent'] ?? '');
        setSessionCookie(reply, token, secure);
        return reply.redirect('/admin', 303);
      } catch (error) {
        if (error instanceof Conflict) return reply.redirect('/admin/login', 303);
        if (!(error instanceof ValidationError)) throw error;
        return sendPage(reply, <SetupPage frame={frame(request, reply)} values={form} errors={error.fields} />, 422);
      }
    },

    async loginForm(request: FormRequest, reply: FastifyReply) {
      if (request.newsroomUser) return reply.redirect(safeNext(request.query.next), 303);
      const message = request.query.expired ? 'Your session has ended. Sign in again to continue.' : request.query.reset ? 'Your password is saved. Sign in with it now.' : undefined;
      return showLogin(request, reply, { message, next: request.query.next });
    },

    async login(request: FormRequest, reply: FastifyReply) {
      const form = formOf(request);
      const values = { email: form.email ?? '' };
      try {
        const { token } = await login(ctx, { email: form.email ?? '', password: form.password ?? '', ip: request.ip, userAgent: request.headers['user-agent'] ?? '' });
        // Rotation: whatever session the browser had before is ended; the new one has a new token.
        await logout(ctx, readSessionToken(request));
        setSessionCookie(reply, token, secure);
        return reply.redirect(safeNext(form.next), 303);
      } catch (error) {
        if (error instanceof RateLimited) {
          reply.header('retry-after', String(error.retryAfterSeconds));
          return showLogin(request, reply, { values, errors: { email: error.message }, status: 429, next: form.next });
        }
        if (error instanceof ValidationError) return showLogin(request, reply, { values, errors: error.fields, status: 422, next: form.next });
        throw error;
      }
    },

    async logout(request: FormRequest, reply: FastifyReply) {
      await logout(ctx, readSessionToken(request));
      clearSessionCookie(reply, secure);
      return reply.redirect('/admin/login', 303);
    },

    async forgotForm(request: FormRequest, reply: FastifyReply) {
      return sendPage(reply, <ForgotPasswordPage frame={frame(request, reply)} values={{}} errors={{}} sent={false} />);
    },

    async forgot(request: FormRequest, reply: FastifyReply) {
      const form = formOf(request);
      const email = (form.email ?? '').trim();
      if (!email) return sendPage(reply, <ForgotPasswordPage frame={frame(request, reply)} values={form} errors={{ email: 'Enter the email address of your account.' }} sent={false} />, 422);
      await requestPasswordReset(mailDeps, email);
      noStore(reply);
      return sendPage(reply, <ForgotPasswordPage frame={frame(request, reply)} values={{ email }} errors={{}} sent />);
    },

    setPasswordForm(purpose: 'reset' | 'invite') {
      return async (request: FormRequest, reply: FastifyReply) => {
        const token = request.query.token ?? '';
        const usable = token ? await tokenUsable(ctx, token, purpose) : false;
        noStore(reply);
        return sendPage(reply, <SetPasswordPage frame={frame(request, reply)} purpose={purpose} token={token} errors={{}} usable={usable} />, usable ? 200 : 410);
      };
    },

    setPassword(purpose: 'reset' | 'invite') {
      return async (request: FormRequest, reply: FastifyReply) => {
        const form = formOf(request);
        try {
          await setPasswordWithToken(ctx, form.token ?? '', purpose, form.password ?? '');
          return reply.redirect('/admin/login?reset=1', 303);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const usable = !error.fields.token;
          return sendPage(reply, <SetPasswordPage frame={frame(request, reply)} purpose={purpose} token={form.token ?? ''} errors={error.fields} usable={usable} />, usable ? 422 : 410);
        }
      };
    },

    async account(request: FormRequest, reply: FastifyReply) {
      return sendPage(reply, <AccountPage frame={frame(request, reply)} errors={{}} saved={request.query.saved === '1'} />);
    },

    async changePassword(request: FormRequest, reply: FastifyReply) {
      const form = formOf(request);
      try {
        await changeOwnPassword(ctx, currentUser(request), readSessionToken(request) ?? '', form.current_password ?? '', form.new_password ?? '');
        return reply.redirect('/admin/account?saved=1', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return sendPage(reply, <AccountPage frame={frame(request, reply)} errors={error.fields} saved={false} />, 422);
      }
    },

    async users(request: FormRequest, reply: FastifyReply) {
      requireCan(currentUser(request), 'users.manage');
      noStore(reply);
      const all = await listUsers(ctx.db);
      // Only confirm an invitation to someone who really is on the list (the query string is anyone's to write).
      const invited = all.find((u) => u.email === request.query.invited)?.email;
      return sendPage(reply, <UsersPage frame={frame(request, reply)} users={all} values={{}} errors={{}} invited={invited} />);
    },

    /** POST /admin/users/:id — role change or disable/enable. */
    async changeUser(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
      const actor = currentUser(request);
      const id = parseId(request.params.id);
      if (id === undefined) throw new NotFound('No such user');
      const form = formOf(request);
      try {
        await changeUser(ctx, actor, id, { role: form.role || undefined, disabled: form.disabled ? form.disabled === '1' : undefined });
        return reply.redirect('/admin/users', 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return sendPage(reply, <UsersPage frame={frame(request, reply)} users={await listUsers(ctx.db)} values={{}} errors={error.fields} />, 422);
      }
    },

    /** POST /admin/users/:id/invitation — send an invited user a fresh invitation. */
    async resendInvitation(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
      const actor = currentUser(request);
      requireCan(actor, 'users.manage');
      const id = parseId(request.params.id);
      if (id === undefined) throw new NotFound('No such user');
      try {
        await resendInvitation(mailDeps, actor, id);
        const user = (await listUsers(ctx.db)).find((u) => u.id === id);
        return reply.redirect(`/admin/users?invited=${encodeURIComponent(user?.email ?? '')}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return sendPage(reply, <UsersPage frame={frame(request, reply)} users={await listUsers(ctx.db)} values={{}} errors={error.fields} />, 422);
      }
    },

    async invite(request: FormRequest, reply: FastifyReply) {
      const user = currentUser(request);
      requireCan(user, 'users.manage');
      const form = formOf(request);
      try {
        const invited = await inviteUser(mailDeps, user, { email: form.email ?? '', displayName: form.display_name ?? '', role: form.role ?? '' });
        return reply.redirect(`/admin/users?invited=${encodeURIComponent(invited.email)}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return sendPage(reply, <UsersPage frame={frame(request, reply)} users={await listUsers(ctx.db)} values={form} errors={error.fields} />, 422);
      }
    },
  };
}
