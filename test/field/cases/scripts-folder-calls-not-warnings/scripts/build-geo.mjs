// Downloads the GeoLite database before a release; run by hand or in CI, never by the server.
import { writeFile } from 'node:fs/promises';

const url = `https://download.example.com/geoip/database?edition=city&key=${process.env.LICENSE_KEY}`;
const res = await fetch(url);
if (!res.ok) throw new Error(`download failed: ${res.status}`);
await writeFile('geo/city.mmdb', Buffer.from(await res.arrayBuffer()));
