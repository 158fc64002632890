export async function searchDocs(query: string): Promise<string> {
  return `no results for ${query}`;
}
