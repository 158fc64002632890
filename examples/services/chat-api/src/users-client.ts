// Calls user-api for profiles and usage accounting.
import axios from 'axios';

const USER_API = process.env.USER_API_URL ?? 'http://user-api.llm-platform.svc.cluster.local';

export interface Profile {
  id: string;
  defaultModel: string;
}

export async function loadProfile(userId: string): Promise<Profile> {
  const res = await fetch(`${USER_API}/v1/users/${encodeURIComponent(userId)}`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`user-api answered ${res.status}`);
  return (await res.json()) as Profile;
}

export async function recordUsage(userId: string, tokens: number): Promise<void> {
  await axios.post(`${USER_API}/v1/usage`, { userId, tokens }, {
    timeout: '30s',
  });
}
