import fetch from 'isomorphic-fetch';

const GEOCODER = process.env.GEOCODER_URL ?? 'https://geocoder.example.org';

export async function geocode(address: string) {
  const res = await fetch(`${GEOCODER}/search?q=${encodeURIComponent(address)}&format=json`);
  if (!res.ok) throw new Error(`geocoder: ${res.status}`);
  const [first] = await res.json();
  return first ? { lat: Number(first.lat), lon: Number(first.lon) } : undefined;
}
