import type { Request, Response } from 'express';
import type { RenderedSite } from '../render/rendered-site';
import type { ShellRecipe } from '../render/shell';
import type { ReturnLink } from '../render/view-models/return-link';

/** Gives the shell for a request's site, variant and return link, rendering it on first use. */
export interface WithShell<Variant extends string, S> {
  (req: Request, res: Response, site: RenderedSite, variant: Variant, use: (shell: S) => void): void;
  /** The shell for a site, variant and return link if it has been rendered, without rendering it. */
  known(site: RenderedSite, variant: Variant, returnTo?: ReturnLink): S | undefined;
}

/**
 * A page's shells (src/render/shell.ts), rendered on first use for each site, variant and return
 * link, then kept. A new site (development mode's rebuild, or its error banner) gets new shells,
 * since it may come with new views; the old ones go with it. A few per site: variants are fixed
 * and return links are known services. A route makes its own, so that what it renders them with
 * (its form's services, say) is its own too. A render or cut error goes to the error handler.
 */
export function shellsFor<Variant extends string, S>(recipe: ShellRecipe<Variant, S>): WithShell<Variant, S> {
  const shells = new WeakMap<RenderedSite, Map<string, S>>();
  const keyOf = (variant: Variant, returnTo: ReturnLink | undefined): string => `${variant} ${returnTo?.id ?? ''}`;
  const withShell = (req: Request, res: Response, site: RenderedSite, variant: Variant, use: (shell: S) => void): void => {
    const key = keyOf(variant, res.locals.returnTo as ReturnLink | undefined);
    let forSite = shells.get(site);
    if (!forSite) {
      forSite = new Map();
      shells.set(site, forSite);
    }
    const known = forSite.get(key);
    if (known) return use(known);
    res.app.render(recipe.view, { ...res.locals, ...recipe.locals(variant) }, (error: Error | null, html?: string) => {
      if (error) return req.next!(error);
      let shell: S;
      try {
        shell = recipe.cut(html!, variant);
      } catch (cut) {
        return req.next!(cut);
      }
      forSite.set(key, shell);
      use(shell);
    });
  };
  return Object.assign(withShell, {
    known: (site: RenderedSite, variant: Variant, returnTo?: ReturnLink) => shells.get(site)?.get(keyOf(variant, returnTo)),
  });
}
