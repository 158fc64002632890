export function formatJob(id: string): string {
  return `job-${id}`;
}
