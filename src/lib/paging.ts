/**
 * Paging of a list page by `?pagina=` (the casus list, the overleggen): the page asked for, and where
 * the page shown ends up once the total is known (never past the last page), with the links around it.
 */
export interface Pager {
  page: number;
  pages: number;
  previousHref: string | undefined;
  nextHref: string | undefined;
}

/** The page asked for in `?pagina=`: 1 when absent or not a page number. */
export function wantedPage(url: URL): number {
  const raw = url.searchParams.get('pagina') ?? '1';
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}

/** The pages of `total` rows by `size`, the page shown (at most the last), and `href(page)` before and after it. */
export function pager(total: number, size: number, wanted: number, href: (page: number) => string): Pager {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(wanted, pages);
  return { page, pages, previousHref: page > 1 ? href(page - 1) : undefined, nextHref: page < pages ? href(page + 1) : undefined };
}

/** `path` with `params` (empty values left out) and, past the first page, `pagina`. */
export function pageHref(path: string, params: Record<string, string>, page: number): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  if (page > 1) query.set('pagina', String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
