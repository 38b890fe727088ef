/**
 * What a GitHub runner shows of a step's output: workflow commands (`::name props::message`) are read, not
 * printed; `::add-mask::` values are replaced by *** from then on, in every later line; annotations are shown
 * as "Error: message (file:line)"; `::debug::` lines only with step debugging on.
 */

const COMMAND = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/;

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

const LEVELS: Record<string, string> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

export class RunnerLog {
  private readonly masks = new Set<string>();

  constructor(private readonly debug = false) {}

  /** Adds a secret to hide (as a step's `::add-mask::` would). */
  mask(secret: string): void {
    if (secret.trim() !== '') this.masks.add(secret);
  }

  /** The text the runner would show for one line of a step's output, or undefined when it shows none. */
  render(line: string): string | undefined {
    const command = COMMAND.exec(line);
    if (!command) return this.hide(line);
    const [, name, rawProps = '', rawMessage = ''] = command;
    const message = unescapeData(rawMessage);
    switch (name) {
      case 'add-mask':
        this.mask(message);
        return undefined;
      case 'debug':
        return this.debug ? this.hide(`Debug: ${message}`) : undefined;
      case 'group':
        return this.hide(`▸ ${message}`);
      case 'endgroup':
        return undefined;
      case 'error':
      case 'warning':
      case 'notice':
        return this.hide(`${LEVELS[name]}: ${message}${location(rawProps)}`);
      default:
        return this.hide(line);
    }
  }

  /** The text with every masked value replaced by ***. */
  hide(text: string): string {
    let shown = text;
    // Longest first, so a secret that contains another is hidden whole.
    for (const secret of [...this.masks].sort((a, b) => b.length - a.length)) {
      shown = shown.split(secret).join('***');
    }
    return shown;
  }
}

function location(rawProps: string): string {
  const props = new Map<string, string>();
  for (const pair of rawProps.split(',')) {
    const eq = pair.indexOf('=');
    if (eq > 0) props.set(pair.slice(0, eq).trim(), unescapeProperty(pair.slice(eq + 1)));
  }
  const file = props.get('file');
  if (!file) return '';
  const line = props.get('line');
  return ` (${file}${line ? `:${line}` : ''})`;
}
