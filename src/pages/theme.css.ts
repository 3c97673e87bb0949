import type { APIRoute } from 'astro';
import { config } from '#platform/config.ts';

/** The municipality's colours as design tokens, from its configuration (never from code). */
export const GET: APIRoute = () => {
  const t = config().municipality.theme;
  const css = `:root{--mb-primary:${t.primary};--mb-primary-hover:${t.primaryHover};--mb-text:${t.text};--mb-link:${t.link};--mb-focus:${t.focus};--mb-error:${t.error};--mb-background:${t.background};--mb-muted:${t.muted}}\n`;
  return new Response(css, {
    headers: { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' },
  });
};
