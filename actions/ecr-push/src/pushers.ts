/**
 * The three pushers. Each gets the registry credentials only through the workspace's auth file
 * (skopeo/podman `--authfile`, docker `DOCKER_CONFIG`); no argument ever holds a secret.
 *
 * skopeo and podman first stage the image as a `dir:` copy with compressed layers: the staged
 * manifest is byte for byte what the registry will hold, so its digest is known before anything is
 * pushed (and `--preserve-digests` / a digest check make sure it stays so).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type Exec } from './exec.js';
import type { ImageSource } from './refs.js';

export type PusherName = 'docker' | 'skopeo' | 'podman';

export interface PushTarget {
  /** host[:port] */
  registry: string;
  repository: string;
  /** plain-http loopback registry */
  insecure: boolean;
}

export interface PusherContext {
  exec: Exec;
  target: PushTarget;
  /** Private directory for staging files and (docker) the config.json. */
  workDir: string;
  authFile: string;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface Pusher {
  readonly name: PusherName;
  /** Stages the image; returns its manifest digest when it can be known before pushing. */
  prepare(): Promise<string | undefined>;
  /** Pushes blobs and manifest under `tag`; returns the digest the registry now holds for it. */
  push(tag: string): Promise<string>;
}

const DIGEST = /sha256:[a-f0-9]{64}/;

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function destination(target: PushTarget, tag: string): string {
  return `${target.registry}/${target.repository}:${tag}`;
}

function logged(ctx: PusherContext, command: string, args: string[], env?: NodeJS.ProcessEnv) {
  ctx.log(`[command] ${command} ${args.join(' ')}`);
  return run(ctx.exec, command, args, { env: env ?? ctx.env, onLine: (line) => ctx.log(line) });
}

function readDigestFile(path: string, tool: string): string {
  const digest = DIGEST.exec(readFileSync(path, 'utf8'))?.[0];
  if (!digest) throw new Error(`${tool} did not report the digest of the pushed image.`);
  return digest;
}

/** skopeo: any transport (a plain name is read from containers-storage). */
export class SkopeoPusher implements Pusher {
  readonly name = 'skopeo';
  private readonly stage: string;
  private pushes = 0;

  constructor(
    private readonly ctx: PusherContext,
    private readonly source: ImageSource,
  ) {
    this.stage = join(ctx.workDir, 'staged');
  }

  private get sourceReference(): string {
    return this.source.kind === 'local' ? `containers-storage:${this.source.name}` : this.source.reference;
  }

  copyArgs(): string[] {
    return ['copy', '--all', '--dest-compress', this.sourceReference, `dir:${this.stage}`];
  }

  pushArgs(tag: string, digestFile: string): string[] {
    return [
      'copy',
      '--all',
      '--preserve-digests',
      '--authfile',
      this.ctx.authFile,
      ...(this.ctx.target.insecure ? ['--dest-tls-verify=false'] : []),
      // skopeo's own retry of a failed blob or manifest request (the ECR API calls use withRetry).
      '--retry-times',
      '3',
      '--digestfile',
      digestFile,
      `dir:${this.stage}`,
      `docker://${destination(this.ctx.target, tag)}`,
    ];
  }

  async prepare(): Promise<string> {
    await logged(this.ctx, 'skopeo', this.copyArgs());
    return sha256Digest(readFileSync(join(this.stage, 'manifest.json')));
  }

  async push(tag: string): Promise<string> {
    const digestFile = join(this.ctx.workDir, `digest-${++this.pushes}`);
    await logged(this.ctx, 'skopeo', this.pushArgs(tag, digestFile));
    return readDigestFile(digestFile, 'skopeo');
  }
}

/** podman: a local image of podman's storage, or a transport reference pulled into it first. */
export class PodmanPusher implements Pusher {
  readonly name = 'podman';
  private readonly stage: string;
  private local: string | undefined;
  private pushes = 0;

  constructor(
    private readonly ctx: PusherContext,
    private readonly source: ImageSource,
  ) {
    this.stage = join(ctx.workDir, 'staged');
    if (source.kind === 'local') this.local = source.name;
    else if (source.transport === 'containers-storage')
      this.local = source.reference.slice('containers-storage:'.length);
  }

  pullArgs(): string[] {
    return ['pull', '--quiet', this.source.kind === 'transport' ? this.source.reference : this.source.name];
  }

  stageArgs(image: string): string[] {
    return ['push', '--compress', image, `dir:${this.stage}`];
  }

  pushArgs(image: string, tag: string, digestFile: string): string[] {
    return [
      'push',
      '--authfile',
      this.ctx.authFile,
      ...(this.ctx.target.insecure ? ['--tls-verify=false'] : []),
      '--digestfile',
      digestFile,
      image,
      `docker://${destination(this.ctx.target, tag)}`,
    ];
  }

  async prepare(): Promise<string> {
    if (this.local === undefined) {
      const pulled = await logged(this.ctx, 'podman', this.pullArgs());
      const id = pulled.stdout.trim().split('\n').pop()?.trim() ?? '';
      if (!/^[a-f0-9]{12,64}$/.test(id))
        throw new Error(`podman pull did not print an image ID (got '${id}').`);
      this.local = id;
    }
    await logged(this.ctx, 'podman', this.stageArgs(this.local));
    return sha256Digest(readFileSync(join(this.stage, 'manifest.json')));
  }

  async push(tag: string): Promise<string> {
    if (this.local === undefined) await this.prepare();
    const digestFile = join(this.ctx.workDir, `digest-${++this.pushes}`);
    await logged(this.ctx, 'podman', this.pushArgs(this.local!, tag, digestFile));
    return readDigestFile(digestFile, 'podman');
  }
}

/** docker: a local image of the docker engine; credentials through DOCKER_CONFIG. */
export class DockerPusher implements Pusher {
  readonly name = 'docker';

  constructor(
    private readonly ctx: PusherContext,
    private readonly image: string,
  ) {}

  /** docker reads config.json from DOCKER_CONFIG, here the private workspace. */
  get env(): NodeJS.ProcessEnv {
    return { ...(this.ctx.env ?? process.env), DOCKER_CONFIG: this.ctx.workDir };
  }

  inspectArgs(): string[] {
    return ['image', 'inspect', '--format', '{{json .RepoDigests}}', this.image];
  }

  tagArgs(tag: string): string[] {
    return ['tag', this.image, destination(this.ctx.target, tag)];
  }

  pushArgs(tag: string): string[] {
    return ['push', destination(this.ctx.target, tag)];
  }

  /** Known only when the engine already has this image from the same repository (RepoDigests). */
  async prepare(): Promise<string | undefined> {
    const result = await logged(this.ctx, 'docker', this.inspectArgs(), this.env);
    return repoDigest(result.stdout, `${this.ctx.target.registry}/${this.ctx.target.repository}`);
  }

  async push(tag: string): Promise<string> {
    await logged(this.ctx, 'docker', this.tagArgs(tag), this.env);
    const result = await logged(this.ctx, 'docker', this.pushArgs(tag), this.env);
    const digest = /digest: (sha256:[a-f0-9]{64})/.exec(result.stdout)?.[1];
    if (!digest) throw new Error(`docker push of tag '${tag}' did not report a digest.`);
    return digest;
  }
}

/** The digest of `repository` among `docker image inspect`'s RepoDigests JSON, if any. */
export function repoDigest(repoDigestsJson: string, repository: string): string | undefined {
  let list: unknown;
  try {
    list = JSON.parse(repoDigestsJson.trim() || '[]');
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  for (const entry of list) {
    if (typeof entry === 'string' && entry.startsWith(`${repository}@`))
      return entry.slice(repository.length + 1);
  }
  return undefined;
}

export function createPusher(name: PusherName, ctx: PusherContext, source: ImageSource): Pusher {
  switch (name) {
    case 'skopeo':
      return new SkopeoPusher(ctx, source);
    case 'podman':
      return new PodmanPusher(ctx, source);
    case 'docker':
      if (source.kind !== 'local') {
        throw new Error(
          `Input 'pusher': docker pushes a local image name, not '${source.reference}'; use skopeo or podman.`,
        );
      }
      return new DockerPusher(ctx, source.name);
  }
}
