import { useEffect, useLayoutEffect } from 'react';

export const SITE_NAME = 'Carebook';
const full = (title: string) => (title === SITE_NAME ? title : `${title} · ${SITE_NAME}`);

/**
 * A route's default title, set before any page effect runs (a layout effect), so that a page's
 * own data-driven title (`useDocumentTitle`, a plain effect) replaces it once known.
 */
export function useRouteTitle(title: string): void {
  useLayoutEffect(() => {
    document.title = full(title);
  }, [title]);
}

/** A page's own title, e.g. the provider's name: "<title> · Carebook". */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    if (title) document.title = full(title);
  }, [title]);
}
