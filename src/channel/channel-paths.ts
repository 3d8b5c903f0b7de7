/** The channel's URL layout under its base path (`/` alone, `/channel/` under the hub). */
export interface ChannelPaths {
  base: string;
  simple: string;
  files: string;
  legacy: string;
  projectPages: string;
  staticFiles: string;
  /** Path of a project's Simple API page. */
  simpleProject(name: string): string;
  /** Path of a file (the `.metadata` file is this plus `.metadata`). */
  file(project: string, filename: string): string;
  projectPage(name: string): string;
}

/** Builds the layout; `base` starts and ends with a slash (the config schema guarantees it). */
export function channelPaths(base: string): ChannelPaths {
  const simple = `${base}simple/`;
  const files = `${base}files/`;
  const projectPages = `${base}project/`;
  return {
    base,
    simple,
    files,
    legacy: `${base}legacy/`,
    projectPages,
    staticFiles: `${base}static/`,
    simpleProject: (name) => `${simple}${encodeURIComponent(name)}/`,
    file: (project, filename) => `${files}${encodeURIComponent(project)}/${encodeURIComponent(filename)}`,
    projectPage: (name) => `${projectPages}${encodeURIComponent(name)}/`,
  };
}
