// The Elastic Beanstalk model: each deployed folder with the option settings of its `.ebextensions` files, in file name order.
import type { EbConfigFile } from './file.js';
import type { EbApp } from './hops.js';

export interface EbModel {
  apps: EbApp[];
}

export function buildEbModel(files: readonly EbConfigFile[]): EbModel {
  const byFolder = new Map<string, EbConfigFile[]>();
  for (const file of files) byFolder.set(file.appFolder, [...(byFolder.get(file.appFolder) ?? []), file]);
  const apps = [...byFolder].map(([folder, list]): EbApp => {
    // Elastic Beanstalk processes configuration files in alphabetical order of their names.
    const sorted = [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { folder, files: sorted, settings: sorted.flatMap((f) => f.settings) };
  });
  return { apps };
}
