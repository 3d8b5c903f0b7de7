import { API_VERSION, type FileLink, type ProjectView } from './project-view.js';

function fileJson(link: FileLink): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    filename: link.filename,
    url: link.url,
    hashes: { sha256: link.sha256 },
  };
  if (link.requiresPython !== null) entry['requires-python'] = link.requiresPython;
  // Only `core-metadata`: pip 22.3-23.1 crash on the JSON `dist-info-metadata` key (PEP 714).
  entry['core-metadata'] = link.metadataSha256 === null ? false : { sha256: link.metadataSha256 };
  entry['yanked'] = link.yanked === false ? false : link.yanked === '' ? true : link.yanked;
  entry['size'] = link.size;
  entry['upload-time'] = link.uploadTime;
  return entry;
}

/** PEP 691 project page with PEP 700 and PEP 792 keys. */
export function renderProjectJson(view: ProjectView): string {
  const status: Record<string, string> = { status: view.status };
  if (view.statusReason !== null) status['reason'] = view.statusReason;
  return JSON.stringify({
    meta: { 'api-version': API_VERSION },
    name: view.name,
    'project-status': status,
    versions: view.versions,
    files: view.files.map(fileJson),
  });
}

/** PEP 691 root page. */
export function renderIndexJson(names: readonly string[]): string {
  return JSON.stringify({ meta: { 'api-version': API_VERSION }, projects: names.map((name) => ({ name })) });
}
