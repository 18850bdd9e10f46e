/** One revision compared with an earlier one: each changed field with removed text struck through and added text marked. */
import type { FieldDiff } from '../revision-diff.ts';
import { AdminLayout, type AdminFrame } from './admin-layout.tsx';

export interface RevisionPageProps {
  frame: AdminFrame;
  articleId: number;
  headline: string;
  version: number;
  /** Version compared against, undefined for the first revision. */
  againstVersion?: number;
  diffs: FieldDiff[];
}

export function RevisionPage({ frame, articleId, headline, version, againstVersion, diffs }: RevisionPageProps) {
  return (
    <AdminLayout frame={frame} title={`Version ${version}: ${headline}`}>
      <p>
        <a href={`/admin/articles/${articleId}`}>Back to the article</a>
      </p>
      <h1>
        Version {version}
        {againstVersion ? ` compared with version ${againstVersion}` : ' (first version)'}
      </h1>
      <p class="diff-legend">
        <del>Removed text</del> <ins>added text</ins>
      </p>
      {diffs.length ? (
        diffs.map((d) => (
          <section class="admin-panel diff" aria-labelledby={`diff-${d.field}`}>
            <h2 id={`diff-${d.field}`}>{d.label}</h2>
            <p class="diff-text">{d.parts.map((part) => (part.added ? <ins>{part.value}</ins> : part.removed ? <del>{part.value}</del> : <span>{part.value}</span>))}</p>
          </section>
        ))
      ) : (
        <p>No differences.</p>
      )}
    </AdminLayout>
  );
}
