import axios from 'axios';

const client = axios.create({ baseURL: '/api' });

export async function ask(messages: Array<{ role: string; content: string }>) {
  const res = await client.post('/ask', { messages }, { responseType: 'text' });
  return res.data as string;
}
