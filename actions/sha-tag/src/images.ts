/**
 * Image names: lower-cased (as docker/metadata-action does) and checked against the distribution
 * reference grammar, so a typo fails here rather than at push time.
 */
import { InputError } from '../../lib/inputs.js';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);

export function validateImages(names: string[]): string[] {
  if (names.length === 0) {
    throw new InputError(
      'images',
      'is empty; give one or more image names, one per line or comma separated, e.g. ghcr.io/octo-org/app.',
    );
  }
  const seen = new Set<string>();
  for (const original of names) {
    const name = original.toLowerCase();
    if (/[:@]/.test(name.replace(/^[^/]*\//, ''))) {
      throw new InputError(
        'images',
        `'${original}' has a tag or digest; give the name only (e.g. ghcr.io/octo-org/app), the tags come from the 'tags' rules.`,
      );
    }
    if (name.length > 255 || !NAME.test(name)) {
      throw new InputError(
        'images',
        `'${original}' is not a valid image name; expected [registry[:port]/]path, path parts of a-z, 0-9 ` +
          `separated by '.', '_', '__' or '-', e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app.`,
      );
    }
    seen.add(name);
  }
  return [...seen];
}
