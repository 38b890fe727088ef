/******/ (() => { // webpackBootstrap
/******/ 	var __webpack_modules__ = ({

/***/ 587:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// UNUSED EXPORTS: getInputs

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = require("node:os");
;// CONCATENATED MODULE: ./actions/lib/runner.ts
/**
 * The GitHub Actions runner protocol (workflow commands on stdout, GITHUB_* files), the subset the
 * actions use. It matches @actions/core byte for byte (see __tests__/runner.test.ts) but does not pull
 * in @actions/core's HTTP client, which alone costs more than a bare Node start.
 */


function toCommandValue(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string' || value instanceof String)
        return String(value);
    return JSON.stringify(value);
}
function escapeData(value) {
    return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function formatCommand(command, properties, message) {
    const props = Object.entries(properties)
        .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    return `::${command}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}
function issue(command, properties, message) {
    process.stdout.write(formatCommand(command, properties, message) + external_node_os_namespaceObject.EOL);
}
function appendFileCommand(env, name, message) {
    const path = env[`GITHUB_${name}`];
    if (!path)
        throw new Error(`Unable to find environment variable for file command ${name}`);
    if (!(0,external_node_fs_namespaceObject.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    (0,external_node_fs_namespaceObject.appendFileSync)(path, `${message}${external_node_os_namespaceObject.EOL}`, { encoding: 'utf8' });
}
/**
 * A version 4 UUID for heredoc delimiters. Reads /dev/urandom where there is one: importing node:crypto
 * (or touching globalThis.crypto) costs a small action more start-up time than all of its own work.
 */
function randomUUID() {
    const bytes = Buffer.alloc(16);
    try {
        const fd = (0,external_node_fs_namespaceObject.openSync)('/dev/urandom', 'r');
        try {
            if ((0,external_node_fs_namespaceObject.readSync)(fd, bytes, 0, 16, null) !== 16)
                return globalThis.crypto.randomUUID();
        }
        finally {
            (0,external_node_fs_namespaceObject.closeSync)(fd);
        }
    }
    catch {
        return globalThis.crypto.randomUUID();
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function keyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    const converted = toCommandValue(value);
    if (key.includes(delimiter) || converted.includes(delimiter)) {
        throw new Error(`Unexpected input: the value contains the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_node_os_namespaceObject.EOL}${converted}${external_node_os_namespaceObject.EOL}${delimiter}`;
}
/** Reads an input as the runner passes it: INPUT_<NAME upper-cased, spaces as underscores>, trimmed. */
function getInput(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function setOutput(name, value, env = process.env) {
    if (env.GITHUB_OUTPUT) {
        appendFileCommand(env, 'OUTPUT', keyValueMessage(name, value));
        return;
    }
    process.stdout.write(external_node_os_namespaceObject.EOL);
    issue('set-output', { name }, toCommandValue(value));
}
function exportVariable(name, value, env = process.env) {
    process.env[name] = toCommandValue(value);
    if (env.GITHUB_ENV) {
        appendFileCommand(env, 'ENV', keyValueMessage(name, value));
        return;
    }
    issue('set-env', { name }, toCommandValue(value));
}
function saveState(name, value, env = process.env) {
    if (env.GITHUB_STATE) {
        appendFileCommand(env, 'STATE', keyValueMessage(name, value));
        return;
    }
    issue('save-state', { name }, toCommandValue(value));
}
function getState(name, env = process.env) {
    return env[`STATE_${name}`] ?? '';
}
/** Registers a value with the runner's log masker. Call before the value can reach any log line. */
function setSecret(secret) {
    if (secret)
        issue('add-mask', {}, secret);
}
function info(message) {
    process.stdout.write(message + EOL);
}
function debug(message) {
    issue('debug', {}, message);
}
function annotate(level, message, props = {}) {
    issue(level, {
        title: props.title,
        file: props.file,
        line: props.startLine,
        endLine: props.endLine,
        col: props.startColumn,
        endColumn: props.endColumn,
    }, message);
}
const error = (message, props) => annotate('error', message, props);
const warning = (message, props) => annotate('warning', message, props);
const notice = (message, props) => annotate('notice', message, props);
function startGroup(name) {
    issue('group', {}, name);
}
function endGroup() {
    issue('endgroup', {}, '');
}
/** Marks the step failed: an error annotation and a non-zero exit code, without exiting early. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Appends Markdown to the step's job summary (GITHUB_STEP_SUMMARY). Returns false when there is none. */
function appendSummary(markdown, env = process.env) {
    const path = env.GITHUB_STEP_SUMMARY;
    if (!path)
        return false;
    (0,external_node_fs_namespaceObject.appendFileSync)(path, markdown, { encoding: 'utf8' });
    return true;
}
function errorMessage(err) {
    return err instanceof Error ? err.message : String(err);
}

;// CONCATENATED MODULE: ./actions/lib/inputs.ts
/**
 * Typed action inputs. Every reader names the input and what it expected when the value is wrong, so a
 * workflow author can fix the `with:` block from the error line alone.
 */

class InputError extends Error {
    input;
    constructor(input, message) {
        super(`Input '${input}': ${message}`);
        this.input = input;
        this.name = 'InputError';
    }
}
function raw(name, { required = false, env = process.env }) {
    const value = getInput(name, env);
    if (required && value === '')
        throw new InputError(name, 'is required but was empty or not set.');
    return value;
}
function getString(name, options = {}) {
    const value = raw(name, options);
    return value === '' ? (options.default ?? '') : value;
}
/** A list separated by newlines (and commas unless `comma: false`); blank items and `#` comments dropped. */
function getList(name, options = {}) {
    const separator = options.comma === false ? /\r?\n/ : /\r?\n|,/;
    return raw(name, options)
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item !== '' && !item.startsWith('#'));
}
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
function getBoolean(name, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    if (TRUE.includes(value))
        return true;
    if (FALSE.includes(value))
        return false;
    throw new InputError(name, `expected true or false, got '${value}'.`);
}
function getEnum(name, allowed, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
        throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${value}'.`);
    }
    return match;
}
function getInteger(name, options = {}) {
    const value = raw(name, options);
    if (value === '' && options.default !== undefined)
        return options.default;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
        throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${value}'.`);
    }
    return Number(value);
}
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Parses `90`, `90s`, `5m`, `1h30m`, `250ms` into milliseconds (a bare number means seconds). */
function parseDuration(text) {
    const value = text.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const parts = [...value.matchAll(/(\d+)(ms|s|m|h)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value)
        return undefined;
    return parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit], 0);
}
function getDuration(name, options = {}) {
    const value = raw(name, options) || options.default || '';
    const ms = parseDuration(value);
    const { minMs = 0, maxMs = Number.MAX_SAFE_INTEGER } = options;
    if (ms === undefined || ms < minMs || ms > maxMs) {
        throw new InputError(name, `expected a duration such as 30s, 5m or 1h30m (a bare number means seconds)` +
            `${minMs > 0 || maxMs < Number.MAX_SAFE_INTEGER ? ` between ${minMs / 1000}s and ${maxMs / 1000}s` : ''}, got '${value}'.`);
    }
    return ms;
}

;// CONCATENATED MODULE: ./actions/lib/run-action.ts
/** The top of every action's main: run, and turn any error into a failed step (never process.exit). */

async function runAction(main) {
    try {
        await main();
    }
    catch (err) {
        setFailed(errorMessage(err));
    }
}

;// CONCATENATED MODULE: ./actions/lib/summary.ts
/**
 * Job summary Markdown that never exceeds GitHub's 1 MiB per step. Sections are added in priority
 * order; once the budget is nearly spent, further rows are counted and reported as "N more not shown".
 */
const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Escapes text for a Markdown table cell. */
function cell(text) {
    return String(text ?? '')
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        .replace(/[\r\n]+/g, ' ')
        .replace(/</g, '&lt;');
}
class SummaryBuilder {
    limitBytes;
    reserveBytes;
    parts = [];
    bytes = 0;
    omitted = 0;
    /** `reserveBytes` is kept free for the closing lines (omission notes). */
    constructor(limitBytes = SUMMARY_LIMIT_BYTES, reserveBytes = 4096) {
        this.limitBytes = limitBytes;
        this.reserveBytes = reserveBytes;
    }
    get size() {
        return this.bytes;
    }
    fits(text) {
        return this.bytes + Buffer.byteLength(text) <= this.limitBytes - this.reserveBytes;
    }
    push(text) {
        if (!this.fits(text))
            return false;
        this.parts.push(text);
        this.bytes += Buffer.byteLength(text);
        return true;
    }
    heading(text, level = 2) {
        this.push(`${'#'.repeat(level)} ${text}\n\n`);
        return this;
    }
    paragraph(text) {
        this.push(`${text}\n\n`);
        return this;
    }
    list(items) {
        this.push(items.map((item) => `- ${item}\n`).join('') + '\n');
        return this;
    }
    /**
     * A table of as many rows as fit; `maxRows` caps it further. Rows left out are reported under the
     * table with `noun` (e.g. "findings").
     */
    table(header, rows, options = {}) {
        const { maxRows = Number.POSITIVE_INFINITY, noun = 'rows' } = options;
        const head = `| ${header.map(cell).join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`;
        if (!this.push(head)) {
            this.omitted += rows.length;
            return this;
        }
        let shown = 0;
        for (const row of rows) {
            if (shown >= maxRows || !this.push(`| ${row.map(cell).join(' | ')} |\n`))
                break;
            shown++;
        }
        const hidden = rows.length - shown;
        this.parts.push(hidden > 0 ? `\n_${hidden} more ${noun} not shown._\n\n` : '\n');
        this.bytes += Buffer.byteLength(this.parts[this.parts.length - 1]);
        return this;
    }
    /** The Markdown, with a final note when whole sections did not fit. */
    toString() {
        const tail = this.omitted > 0 ? `_${this.omitted} more entries not shown (job summary size limit)._\n` : '';
        return this.parts.join('') + tail;
    }
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/context.ts
/**
 * What the runner tells a step about the commit: GITHUB_* variables and the event payload
 * (GITHUB_EVENT_PATH). Pure: main.ts reads the payload file and passes its text in.
 */
class ContextError extends Error {
}
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
function parsePayload(text, path) {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (err) {
        throw new ContextError(`The event payload at GITHUB_EVENT_PATH (${path}) is not valid JSON: ${err.message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ContextError(`The event payload at GITHUB_EVENT_PATH (${path}) is not a JSON object.`);
    }
    return value;
}
/** Events whose payload carries `pull_request` and whose GITHUB_SHA is not the pull request's head. */
const isPullRequestEvent = (eventName) => eventName.startsWith('pull_request');
function readContext(env, payload, options) {
    const githubSha = (env.GITHUB_SHA ?? '').trim().toLowerCase();
    if (!githubSha) {
        throw new ContextError('GITHUB_SHA is not set. sha-tag reads the commit from the variables a GitHub Actions runner sets ' +
            '(GITHUB_SHA, GITHUB_REF, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH); run it as a step of a workflow job.');
    }
    if (!SHA.test(githubSha)) {
        throw new ContextError(`GITHUB_SHA '${githubSha}' is not a commit SHA (40 or 64 hexadecimal digits).`);
    }
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    let sha = githubSha;
    const headSha = payload.pull_request?.head?.sha?.toLowerCase();
    if (options.usePrHeadSha && isPullRequestEvent(eventName) && headSha) {
        if (!SHA.test(headSha)) {
            throw new ContextError(`The event payload's pull_request.head.sha '${headSha}' is not a commit SHA.`);
        }
        sha = headSha;
    }
    return {
        eventName,
        ref: env.GITHUB_REF ?? '',
        sha,
        githubSha,
        repository: env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '',
        serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
        payload,
    };
}
/** The branch of a refs/heads/ ref, else ''. */
const branchOf = (ref) => (ref.startsWith('refs/heads/') ? ref.slice(11) : '');
/** The tag of a refs/tags/ ref, else ''. */
const tagOf = (ref) => (ref.startsWith('refs/tags/') ? ref.slice(10) : '');
/**
 * Whether the ref is the repository's default branch: the payload's repository.default_branch, or, for
 * events that always run on the default branch (schedule, issues, discussion), any branch ref.
 */
function isDefaultBranch(ctx) {
    const branch = branchOf(ctx.ref);
    if (!branch)
        return false;
    const defaultBranch = ctx.payload.repository?.default_branch;
    if (defaultBranch)
        return defaultBranch === branch;
    return /^(schedule|issues|issue_comment|discussion|discussion_comment)$/.test(ctx.eventName);
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/images.ts
/**
 * Image names: lower-cased (as docker/metadata-action does) and checked against the distribution
 * reference grammar, so a typo fails here rather than at push time.
 */

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const NAME = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
function validateImages(names) {
    if (names.length === 0) {
        throw new InputError('images', 'is empty; give one or more image names, one per line or comma separated, e.g. ghcr.io/octo-org/app.');
    }
    const seen = new Set();
    for (const original of names) {
        const name = original.toLowerCase();
        if (/[:@]/.test(name.replace(/^[^/]*\//, ''))) {
            throw new InputError('images', `'${original}' has a tag or digest; give the name only (e.g. ghcr.io/octo-org/app), the tags come from the 'tags' rules.`);
        }
        if (name.length > 255 || !NAME.test(name)) {
            throw new InputError('images', `'${original}' is not a valid image name; expected [registry[:port]/]path, path parts of a-z, 0-9 ` +
                `separated by '.', '_', '__' or '-', e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app.`);
        }
        seen.add(name);
    }
    return [...seen];
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/labels.ts
function buildLabels(ctx, version, created) {
    const repo = ctx.payload.repository;
    const url = repo?.html_url || (ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : '');
    const title = repo?.name || ctx.repository.split('/')[1] || '';
    const labels = {
        'org.opencontainers.image.created': created.toISOString(),
        'org.opencontainers.image.revision': ctx.sha,
        'org.opencontainers.image.version': version,
    };
    if (url) {
        labels['org.opencontainers.image.source'] = url;
        labels['org.opencontainers.image.url'] = url;
    }
    if (title)
        labels['org.opencontainers.image.title'] = title;
    if (repo?.description)
        labels['org.opencontainers.image.description'] = repo.description;
    const license = repo?.license?.spdx_id;
    if (license && license !== 'NOASSERTION')
        labels['org.opencontainers.image.licenses'] = license;
    return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
const labelLines = (labels) => Object.entries(labels).map(([key, value]) => `${key}=${value.replace(/[\r\n]+/g, ' ')}`);

;// CONCATENATED MODULE: ./actions/sha-tag/src/template.ts
/**
 * The `{{ ... }}` expressions of docker/metadata-action's rule syntax (a Handlebars subset): a bare
 * name (`{{branch}}`, `{{version}}`) or a helper with one quoted argument and `key='value'` options
 * (`{{date 'YYYYMMDD' tz='Europe/Paris'}}`). Parsed once, strictly: an unknown name or a malformed
 * expression is an error that lists the accepted names, where Handlebars would print an empty string.
 */
class TemplateError extends Error {
}
// `{{{x}}}` (Handlebars' unescaped form) is the same as `{{x}}` here: tag values are never HTML-escaped.
const EXPRESSION = /\{\{\{?\s*([^{}]*?)\s*\}?\}\}/g;
const TOKEN = /\s*(?:([A-Za-z_][\w]*)\s*=\s*(?:'([^']*)'|"([^"]*)")|'([^']*)'|"([^"]*)"|([A-Za-z_][\w]*))/y;
function parseExpression(body, source) {
    const name = /^[A-Za-z_]\w*/.exec(body)?.[0];
    if (!name)
        throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
    const args = [];
    const hash = {};
    let rest = body.slice(name.length);
    while (rest.trim() !== '') {
        TOKEN.lastIndex = 0;
        const m = TOKEN.exec(rest);
        if (!m || !/^\s/.test(rest))
            throw new TemplateError(`malformed expression '{{${body}}}' in '${source}'`);
        if (m[1] !== undefined)
            hash[m[1]] = m[2] ?? m[3] ?? '';
        else if (m[4] !== undefined || m[5] !== undefined)
            args.push(m[4] ?? m[5] ?? '');
        else
            throw new TemplateError(`malformed expression '{{${body}}}' in '${source}': arguments must be quoted`);
        rest = rest.slice(m[0].length);
    }
    return { kind: 'expr', name, args, hash };
}
/** Parses `source`; every expression name must be in `accepted` (a name to arity-checker map). */
function compile(source, accepted) {
    const parts = [];
    let last = 0;
    for (const match of source.matchAll(EXPRESSION)) {
        if (match.index > last)
            parts.push({ kind: 'text', text: source.slice(last, match.index) });
        const part = parseExpression(match[1], source);
        const check = accepted[part.name];
        if (!check) {
            throw new TemplateError(`unknown expression '{{${match[1]}}}' in '${source}'; accepted: ${Object.keys(accepted)
                .map((n) => `{{${n}}}`)
                .join(', ')}`);
        }
        check(part);
        parts.push(part);
        last = match.index + match[0].length;
    }
    if (last < source.length)
        parts.push({ kind: 'text', text: source.slice(last) });
    const leftover = parts.find((p) => p.kind === 'text' && /\{\{|\}\}/.test(p.text));
    if (leftover)
        throw new TemplateError(`unbalanced '{{' or '}}' in '${source}'`);
    return { source, parts };
}
function render(template, values) {
    return template.parts
        .map((part) => (part.kind === 'text' ? part.text : (values[part.name]?.(part) ?? '')))
        .join('');
}
/** Checkers for `compile`. */
const noArgs = (part) => {
    if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
        throw new TemplateError(`'{{${part.name}}}' takes no arguments`);
    }
};
const dateArgs = (part) => {
    if (part.args.length !== 1) {
        throw new TemplateError(`'{{${part.name}}}' needs one quoted format, e.g. {{${part.name} 'YYYYMMDD'}}`);
    }
    const unknown = Object.keys(part.hash).filter((key) => key !== 'tz');
    if (unknown.length > 0) {
        throw new TemplateError(`'{{${part.name}}}' has unknown option '${unknown[0]}'; accepted: tz`);
    }
};

;// CONCATENATED MODULE: ./actions/sha-tag/src/rules.ts
/**
 * The `tags` and `flavor` inputs in docker/metadata-action's syntax: one rule per line, comma-separated
 * `key=value` attributes (CSV, so a value with a comma is written in double quotes). Parsing is strict:
 * an unknown type or attribute, a bad `event`/`format`/`priority`, or a malformed `{{ }}` expression
 * fails with the rule quoted and the accepted values listed.
 */


const RULE_TYPES = ['sha', 'ref', 'semver', 'raw', 'schedule', 'edge'];
const REF_EVENTS = ['branch', 'tag', 'pr'];
const SHA_FORMATS = ['short', 'long'];
/** docker/metadata-action's default priorities: higher first; the first tag is the version. */
const DEFAULT_PRIORITY = {
    schedule: 1000,
    semver: 900,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const ATTRIBUTES = {
    sha: [...COMMON, 'format'],
    ref: [...COMMON, 'event'],
    semver: [...COMMON, 'pattern', 'value'],
    raw: [...COMMON, 'value'],
    schedule: [...COMMON, 'pattern'],
    edge: [...COMMON, 'branch'],
};
/** Rules used when the `tags` input is empty. */
const DEFAULT_RULES = [
    'type=sha',
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
];
/** Expressions allowed in value, prefix, suffix and enable (docker/metadata-action's global expressions). */
const GLOBAL_EXPRESSIONS = {
    branch: noArgs,
    tag: noArgs,
    sha: noArgs,
    base_ref: noArgs,
    is_default_branch: noArgs,
    date: dateArgs,
};
const SEMVER_EXPRESSIONS = {
    version: noArgs,
    major: noArgs,
    minor: noArgs,
    patch: noArgs,
    raw: noArgs,
};
/** Splits one CSV record: commas separate fields, double quotes protect commas, `""` is a quote. */
function splitCsv(line) {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
            if (c === '"' && line[i + 1] === '"') {
                field += '"';
                i++;
            }
            else if (c === '"')
                quoted = false;
            else
                field += c;
        }
        else if (c === '"')
            quoted = true;
        else if (c === ',') {
            fields.push(field);
            field = '';
        }
        else
            field += c;
    }
    if (quoted)
        throw new Error('a double quote is not closed');
    fields.push(field);
    return fields.map((f) => f.trim()).filter((f) => f !== '');
}
function fail(input, source, message) {
    throw new InputError(input, `rule '${source}' ${message}`);
}
function template(input, source, attr, text, accepted) {
    try {
        return compile(text, accepted);
    }
    catch (err) {
        if (err instanceof TemplateError)
            fail(input, source, `has a bad ${attr}: ${err.message}.`);
        throw err;
    }
}
/** Parses one line of the `tags` input. */
function parseRule(line, input = 'tags') {
    const source = line.trim();
    let fields;
    try {
        fields = splitCsv(source);
    }
    catch (err) {
        fail(input, source, `is not valid CSV: ${err.message}.`);
    }
    const attrs = new Map();
    for (const field of fields) {
        const eq = field.indexOf('=');
        // A field without '=' is the value, as in docker/metadata-action (`type=raw,latest` or just `latest`).
        const key = eq < 0 ? 'value' : field.slice(0, eq).trim().toLowerCase();
        const value = eq < 0 ? field : field.slice(eq + 1).trim();
        if (attrs.has(key))
            fail(input, source, `sets '${key}' twice.`);
        attrs.set(key, value);
    }
    const type = (attrs.get('type') ?? 'raw');
    if (!RULE_TYPES.includes(type)) {
        const hint = ['pep440', 'match'].includes(type) ? ` (type=${type} is not supported by sha-tag)` : '';
        fail(input, source, `has unknown type '${type}'${hint}; accepted types: ${RULE_TYPES.join(', ')}.`);
    }
    for (const key of attrs.keys()) {
        if (!ATTRIBUTES[type].includes(key)) {
            fail(input, source, `has unknown attribute '${key}' for type=${type}; accepted: ${ATTRIBUTES[type].join(', ')}.`);
        }
    }
    const priorityText = attrs.get('priority');
    if (priorityText !== undefined && !/^-?\d+$/.test(priorityText)) {
        fail(input, source, `has priority '${priorityText}'; expected a whole number (defaults: ${defaultsText()}).`);
    }
    const base = {
        source,
        enable: template(input, source, 'enable', attrs.get('enable') ?? 'true', GLOBAL_EXPRESSIONS),
        priority: priorityText !== undefined ? Number(priorityText) : DEFAULT_PRIORITY[type],
    };
    const prefix = attrs.get('prefix');
    const suffix = attrs.get('suffix');
    if (prefix !== undefined)
        base.prefix = template(input, source, 'prefix', prefix, GLOBAL_EXPRESSIONS);
    if (suffix !== undefined)
        base.suffix = template(input, source, 'suffix', suffix, GLOBAL_EXPRESSIONS);
    switch (type) {
        case 'sha': {
            const format = attrs.get('format') ?? 'short';
            if (format !== 'short' && format !== 'long') {
                fail(input, source, `has format '${format}'; accepted: ${SHA_FORMATS.join(', ')}.`);
            }
            base.prefix ??= template(input, source, 'prefix', 'sha-', GLOBAL_EXPRESSIONS);
            return { ...base, type, format };
        }
        case 'ref': {
            const event = attrs.get('event');
            if (event === undefined)
                fail(input, source, `needs an event; accepted: event=${REF_EVENTS.join(', event=')}.`);
            if (!REF_EVENTS.includes(event)) {
                fail(input, source, `has event '${event}'; accepted: ${REF_EVENTS.join(', ')}.`);
            }
            if (event === 'pr')
                base.prefix ??= template(input, source, 'prefix', 'pr-', GLOBAL_EXPRESSIONS);
            return { ...base, type, event: event };
        }
        case 'semver': {
            const pattern = attrs.get('pattern');
            if (!pattern) {
                fail(input, source, `needs a pattern such as pattern={{version}}, pattern={{major}}.{{minor}} or pattern={{major}}.`);
            }
            const compiled = template(input, source, 'pattern', pattern, SEMVER_EXPRESSIONS);
            if (!compiled.parts.some((p) => p.kind === 'expr')) {
                fail(input, source, `has pattern '${pattern}' without any of {{version}}, {{major}}, {{minor}}, {{patch}}, {{raw}}.`);
            }
            const value = attrs.get('value');
            return {
                ...base,
                type,
                pattern: compiled,
                ...(value ? { value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) } : {}),
            };
        }
        case 'raw': {
            const value = attrs.get('value');
            if (value === undefined)
                fail(input, source, `needs a value, e.g. type=raw,value=latest.`);
            return { ...base, type, value: template(input, source, 'value', value, GLOBAL_EXPRESSIONS) };
        }
        case 'schedule': {
            const pattern = attrs.get('pattern') ?? 'nightly';
            return { ...base, type, pattern: template(input, source, 'pattern', pattern, GLOBAL_EXPRESSIONS) };
        }
        case 'edge':
            return { ...base, type, branch: attrs.get('branch') ?? '' };
    }
}
function defaultsText() {
    return Object.entries(DEFAULT_PRIORITY)
        .map(([type, priority]) => `${type} ${priority}`)
        .join(', ');
}
/** Parses the `tags` input lines (the defaults when there are none), sorted by priority, highest first. */
function parseRules(lines) {
    const rules = (lines.length > 0 ? lines : DEFAULT_RULES).map((line) => parseRule(line));
    return rules.sort((a, b) => b.priority - a.priority);
}
const FLAVOR_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
/** Parses the `flavor` input: `latest=auto|true|false`, `prefix=...[,onlatest=true]`, `suffix=...[,onlatest=true]`. */
function parseFlavor(lines) {
    let latest = 'auto';
    let prefix = '';
    let suffix = '';
    let prefixLatest = false;
    let suffixLatest = false;
    for (const line of lines) {
        let fields;
        try {
            fields = splitCsv(line);
        }
        catch (err) {
            throw new InputError('flavor', `entry '${line}' is not valid CSV: ${err.message}.`);
        }
        let onLatestFor;
        for (const field of fields) {
            const eq = field.indexOf('=');
            if (eq < 0) {
                throw new InputError('flavor', `entry '${field}' is not key=value; accepted keys: ${FLAVOR_KEYS.join(', ')}.`);
            }
            const key = field.slice(0, eq).trim().toLowerCase();
            const value = field.slice(eq + 1).trim();
            switch (key) {
                case 'latest':
                    if (value !== 'auto' && value !== 'true' && value !== 'false') {
                        throw new InputError('flavor', `latest='${value}'; accepted: auto, true, false.`);
                    }
                    latest = value;
                    break;
                case 'prefix':
                    prefix = value;
                    onLatestFor = 'prefix';
                    break;
                case 'suffix':
                    suffix = value;
                    onLatestFor = 'suffix';
                    break;
                case 'onlatest':
                    if (value !== 'true' && value !== 'false') {
                        throw new InputError('flavor', `onlatest='${value}'; accepted: true, false.`);
                    }
                    if (onLatestFor === undefined) {
                        throw new InputError('flavor', `onlatest must follow prefix= or suffix= on the same line ('${line}').`);
                    }
                    if (onLatestFor === 'prefix')
                        prefixLatest = value === 'true';
                    else
                        suffixLatest = value === 'true';
                    break;
                default:
                    throw new InputError('flavor', `unknown key '${key}' in '${line}'; accepted keys: ${FLAVOR_KEYS.join(', ')}.`);
            }
        }
    }
    const compileFlavor = (attr, text) => {
        try {
            return compile(text, GLOBAL_EXPRESSIONS);
        }
        catch (err) {
            throw new InputError('flavor', `${attr}='${text}': ${err.message}.`);
        }
    };
    return {
        latest,
        prefix: compileFlavor('prefix', prefix),
        suffix: compileFlavor('suffix', suffix),
        prefixLatest,
        suffixLatest,
    };
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/date-format.ts
/**
 * Moment.js format strings (what docker/metadata-action's `{{date 'YYYYMMDD'}}` takes), for the tokens
 * that make sense in a tag: years, months, days, hours, minutes, seconds, milliseconds, unix time, and
 * `[literal text]`. Any other character is copied, as moment does. Time zones through Intl (IANA names).
 */
const pad = (n, width = 2) => String(n).padStart(width, '0');
function fieldsIn(date, timeZone) {
    if (timeZone === 'UTC' || timeZone === 'Etc/UTC') {
        return {
            year: date.getUTCFullYear(),
            month: date.getUTCMonth() + 1,
            day: date.getUTCDate(),
            hour: date.getUTCHours(),
            minute: date.getUTCMinutes(),
            second: date.getUTCSeconds(),
            ms: date.getUTCMilliseconds(),
            weekday: date.getUTCDay(),
        };
    }
    let parts;
    try {
        parts = new Intl.DateTimeFormat('en-US', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
            weekday: 'short',
        }).formatToParts(date);
    }
    catch {
        throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name such as Europe/Paris)`);
    }
    const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
    return {
        year: Number(get('year')),
        month: Number(get('month')),
        day: Number(get('day')),
        hour: Number(get('hour')),
        minute: Number(get('minute')),
        second: Number(get('second')),
        ms: date.getUTCMilliseconds(),
        weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    };
}
const TOKENS = /\[([^\]]*)\]|YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|SS|S|X|x|A|a|d|./gs;
function formatDate(date, format, timeZone = 'UTC') {
    const f = fieldsIn(date, timeZone);
    const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    return format.replace(TOKENS, (token, literal) => {
        if (literal !== undefined)
            return literal;
        switch (token) {
            case 'YYYY':
                return pad(f.year, 4);
            case 'YY':
                return pad(f.year % 100);
            case 'MM':
                return pad(f.month);
            case 'M':
                return String(f.month);
            case 'DD':
                return pad(f.day);
            case 'D':
                return String(f.day);
            case 'HH':
                return pad(f.hour);
            case 'H':
                return String(f.hour);
            case 'hh':
                return pad(h12);
            case 'h':
                return String(h12);
            case 'mm':
                return pad(f.minute);
            case 'm':
                return String(f.minute);
            case 'ss':
                return pad(f.second);
            case 's':
                return String(f.second);
            case 'SSS':
                return pad(f.ms, 3);
            case 'SS':
                return pad(Math.floor(f.ms / 10));
            case 'S':
                return String(Math.floor(f.ms / 100));
            case 'X':
                return String(Math.floor(date.getTime() / 1000));
            case 'x':
                return String(date.getTime());
            case 'A':
                return f.hour < 12 ? 'AM' : 'PM';
            case 'a':
                return f.hour < 12 ? 'am' : 'pm';
            case 'd':
                return String(f.weekday);
            default:
                return token;
        }
    });
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/semver.ts
/**
 * A strict SemVer 2.0.0 parser, the subset of the `semver` package that tag rules need: a leading `v`
 * is allowed (as `semver.valid` allows it), numeric parts must be safe integers, at most 256 characters.
 * Written out instead of bundling `semver` to keep the action's cold start small; the tests check it
 * against the `semver` package.
 */
const NUM = '0|[1-9]\\d*';
const PRE_ID = `(?:${NUM}|\\d*[a-zA-Z-][a-zA-Z0-9-]*)`;
const BUILD_ID = '[a-zA-Z0-9-]+';
const FULL = new RegExp(`^v?(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`);
function parseSemver(text) {
    if (text.length > 256)
        return undefined;
    const m = FULL.exec(text.trim());
    if (!m)
        return undefined;
    const [major, minor, patch] = [m[1], m[2], m[3]].map(Number);
    if (![major, minor, patch].every(Number.isSafeInteger))
        return undefined;
    const prerelease = m[4] ? m[4].split('.') : [];
    const build = m[5] ? m[5].split('.') : [];
    const version = `${major}.${minor}.${patch}${prerelease.length ? `-${prerelease.join('.')}` : ''}`;
    return { raw: text, major, minor, patch, prerelease, build, version };
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/tags.ts
/**
 * Tag computation with docker/metadata-action's semantics: rules in priority order, the first value is
 * the version, later distinct values follow, and `latest` is decided by the first rule that yields a
 * value (flavor latest=auto: true for a non-pre-release semver tag and for type=ref,event=tag). On top:
 * the sha tag is always present (it is the immutable one to deploy), values follow the OCI tag grammar.
 */




class RuleError extends Error {
}
const OCI_TAG_MAX = 128;
/** Maps a value onto `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`: invalid runs become '-', as docker/metadata-action does. */
function sanitizeTag(value) {
    return value
        .replace(/[^a-zA-Z0-9._-]+/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, OCI_TAG_MAX);
}
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
function shortSha(sha, length) {
    return length >= sha.length ? sha : sha.slice(0, length);
}
function computeTags(rules, flavor, ctx, options) {
    const short = shortSha(ctx.sha, options.shaLength);
    const defaultBranch = isDefaultBranch(ctx);
    const warnings = [];
    const date = (part, rule) => {
        try {
            return formatDate(options.now, part.args[0] ?? '', part.hash.tz ?? 'UTC');
        }
        catch (err) {
            throw new RuleError(`Input 'tags': rule '${rule}': ${err.message}.`);
        }
    };
    const globals = (rule) => ({
        branch: () => branchOf(ctx.ref),
        tag: () => tagOf(ctx.ref),
        sha: () => short,
        base_ref: () => {
            if (tagOf(ctx.ref) && ctx.payload.base_ref)
                return ctx.payload.base_ref.replace(/^refs\/heads\//, '');
            if (ctx.ref.startsWith('refs/pull/'))
                return ctx.payload.pull_request?.base?.ref ?? '';
            return '';
        },
        is_default_branch: () => String(defaultBranch),
        date: (part) => date(part, rule),
    });
    const expand = (t, rule) => render(t, globals(rule));
    const withAffixes = (value, rule) => {
        const prefix = rule.prefix ? expand(rule.prefix, rule.source) : expand(flavor.prefix, rule.source);
        const suffix = rule.suffix ? expand(rule.suffix, rule.source) : expand(flavor.suffix, rule.source);
        return `${prefix}${value}${suffix}`;
    };
    let main;
    const partial = [];
    let latest;
    let isPrerelease = false;
    let immutableTag;
    const add = (rule, raw, autoLatest) => {
        if (raw.length === 0)
            return undefined;
        const value = sanitizeTag(raw);
        if (!OCI_TAG.test(value)) {
            warnings.push(`rule '${rule.source}': '${raw}' has no character valid in a tag; no tag from it.`);
            return undefined;
        }
        if (main === undefined)
            main = value;
        else if (value !== main && !partial.includes(value))
            partial.push(value);
        latest ??= flavor.latest === 'auto' ? autoLatest : flavor.latest === 'true';
        return value;
    };
    for (const rule of rules) {
        const enabled = expand(rule.enable, rule.source);
        if (enabled !== 'true' && enabled !== 'false') {
            throw new RuleError(`Input 'tags': rule '${rule.source}' has enable='${enabled}'; expected true or false.`);
        }
        if (enabled === 'false')
            continue;
        switch (rule.type) {
            case 'sha': {
                const value = add(rule, withAffixes(rule.format === 'long' ? ctx.sha : short, rule), false);
                immutableTag ??= value;
                break;
            }
            case 'ref': {
                if (rule.event === 'branch' && branchOf(ctx.ref))
                    add(rule, withAffixes(branchOf(ctx.ref), rule), false);
                if (rule.event === 'tag' && tagOf(ctx.ref))
                    add(rule, withAffixes(tagOf(ctx.ref), rule), true);
                if (rule.event === 'pr' && ctx.ref.startsWith('refs/pull/')) {
                    add(rule, withAffixes(ctx.ref.slice(10).replace(/\/merge$/, ''), rule), false);
                }
                break;
            }
            case 'semver': {
                const raw = rule.value ? expand(rule.value, rule.source) : tagOf(ctx.ref).replace(/\//g, '-');
                if (!raw)
                    break;
                const version = parseSemver(raw);
                if (!version) {
                    warnings.push(`rule '${rule.source}': '${raw}' is not a valid semver version (https://semver.org); no tag from it.`);
                    break;
                }
                const fields = semverFields(version);
                const pre = version.prerelease.length > 0;
                // A pre-release gets only its full version: 1.2.3-rc.1 must not move the 1.2 or 1 tags.
                const pattern = pre && !isRawOnly(rule.pattern) ? '{{version}}' : undefined;
                const value = pattern === undefined ? render(rule.pattern, fields) : version.version;
                if (add(rule, withAffixes(value, rule), !pre) !== undefined && pre)
                    isPrerelease = true;
                break;
            }
            case 'raw':
                add(rule, withAffixes(expand(rule.value, rule.source), rule), false);
                break;
            case 'schedule':
                if (ctx.eventName === 'schedule')
                    add(rule, withAffixes(expand(rule.pattern, rule.source), rule), false);
                break;
            case 'edge': {
                const branch = branchOf(ctx.ref);
                const target = rule.branch || ctx.payload.repository?.default_branch;
                if (branch && branch === target)
                    add(rule, withAffixes('edge', rule), false);
                break;
            }
        }
    }
    // The sha tag is always there: it is the one tag that never moves to another commit.
    if (immutableTag === undefined) {
        immutableTag = sanitizeTag(`sha-${short}`);
        if (main === undefined)
            main = immutableTag;
        else if (immutableTag !== main && !partial.includes(immutableTag))
            partial.push(immutableTag);
    }
    const refVersion = parseSemver(tagOf(ctx.ref));
    if (refVersion && refVersion.prerelease.length > 0)
        isPrerelease = true;
    const isLatest = latest === true;
    const tagNames = [main, ...partial];
    if (isLatest) {
        const latestName = sanitizeTag(`${flavor.prefixLatest ? expand(flavor.prefix, 'flavor') : ''}latest${flavor.suffixLatest ? expand(flavor.suffix, 'flavor') : ''}`);
        if (!tagNames.includes(latestName))
            tagNames.push(latestName);
    }
    const tags = options.images.flatMap((image) => tagNames.map((name) => `${image}:${name}`));
    return {
        version: main,
        tagNames,
        tags,
        shortSha: short,
        immutableTag,
        isDefaultBranch: defaultBranch,
        isPrerelease,
        isLatest,
        warnings,
    };
}
function semverFields(v) {
    return {
        version: () => v.version,
        major: () => String(v.major),
        minor: () => String(v.minor),
        patch: () => String(v.patch),
        raw: () => v.raw,
    };
}
/** A pattern that is exactly `{{raw}}` keeps the raw tag even for a pre-release (docker/metadata-action). */
function isRawOnly(t) {
    return t.parts.length === 1 && t.parts[0].kind === 'expr' && t.parts[0].name === 'raw';
}

;// CONCATENATED MODULE: ./actions/sha-tag/src/main.ts
/**
 * sha-tag: image tags and OCI labels for the current commit, from the runner's variables and the event
 * payload. No network call; no @actions/* import (actions/lib/runner.ts speaks the runner protocol).
 */










function getInputs(env = process.env) {
    return {
        images: validateImages(getList('images', { env })),
        rules: parseRules(getList('tags', { env, comma: false })),
        flavor: parseFlavor(getList('flavor', { env, comma: false })),
        shaLength: getInteger('sha-length', { env, default: 7, min: 1, max: 64 }),
        usePrHeadSha: getBoolean('use-pr-head-sha', { env, default: true }),
    };
}
/**
 * Plain log lines straight to fd 1. runner.ts's info() goes through process.stdout, whose first use
 * builds a stream object (for the runner's pipe, 5-10 ms: a quarter of a bare node start). Both are
 * synchronous on Linux, so lines stay in order with the workflow commands runner.ts writes.
 */
function log(lines) {
    const text = Buffer.from(lines.join('\n') + '\n');
    for (let offset = 0; offset < text.length;) {
        try {
            offset += (0,external_node_fs_namespaceObject.writeSync)(1, text, offset);
        }
        catch (err) {
            if (err.code !== 'EAGAIN')
                throw err;
        }
    }
}
function readPayload(env) {
    const path = env.GITHUB_EVENT_PATH;
    if (!path)
        return {};
    let text;
    try {
        text = (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch (err) {
        throw new Error(`Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${err.message}`);
    }
    return parsePayload(text, path);
}
async function run(env = process.env, now = () => new Date()) {
    await runAction(async () => {
        const inputs = getInputs(env);
        const ctx = readContext(env, readPayload(env), { usePrHeadSha: inputs.usePrHeadSha });
        const created = now();
        const result = computeTags(inputs.rules, inputs.flavor, ctx, {
            images: inputs.images,
            shaLength: inputs.shaLength,
            now: created,
        });
        for (const line of result.warnings)
            warning(line);
        const labels = buildLabels(ctx, result.version, created);
        log([
            `event ${ctx.eventName || '(none)'}, ref ${ctx.ref || '(none)'}, commit ${ctx.sha}`,
            ...(ctx.sha !== ctx.githubSha
                ? [`pull request head ${ctx.sha} (GITHUB_SHA is the merge commit ${ctx.githubSha})`]
                : []),
            ...result.tags,
        ]);
        const immutableRef = `${inputs.images[0]}:${result.immutableTag}`;
        setOutput('tags', result.tags.join('\n'), env);
        setOutput('tag-names', result.tagNames.join('\n'), env);
        setOutput('version', result.version, env);
        setOutput('sha', ctx.sha, env);
        setOutput('short-sha', result.shortSha, env);
        setOutput('immutable-tag', result.immutableTag, env);
        setOutput('immutable-ref', immutableRef, env);
        setOutput('is-default-branch', String(result.isDefaultBranch), env);
        setOutput('is-prerelease', String(result.isPrerelease), env);
        setOutput('is-latest', String(result.isLatest), env);
        setOutput('labels', labelLines(labels).join('\n'), env);
        setOutput('json', JSON.stringify({
            tags: result.tags,
            labels,
            version: result.version,
            sha: ctx.sha,
            immutableTag: result.immutableTag,
            immutableRef,
            isDefaultBranch: result.isDefaultBranch,
            isPrerelease: result.isPrerelease,
            isLatest: result.isLatest,
        }), env);
        const summary = new SummaryBuilder()
            .heading('sha-tag')
            .paragraph(`Version \`${result.version}\`, immutable tag \`${immutableRef}\`.`)
            .table(['tag'], result.tags.map((tag) => [tag]), { noun: 'tags' })
            .table(['label', 'value'], Object.entries(labels), { noun: 'labels' });
        appendSummary(summary.toString(), env);
    });
}


/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/asset-relocator-loader */
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// The CommonJS entry of the bundle (see scripts/build-actions.mjs): sha-tag runs in every build, and a
// CommonJS bundle starts faster than an ES module one.
(__nccwpck_require__(587)/* .run */ .e)();

module.exports = __webpack_exports__;
/******/ })()
;
//# sourceMappingURL=index.js.map
