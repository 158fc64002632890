import { Client } from 'pg';

export async function listenForChanges(board: string, onChange: (change: { board: string; id: string }) => void): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  client.on('notification', (message) => {
    const change = JSON.parse(message.payload ?? '{}') as { board: string; id: string };
    if (change.board === board) onChange(change);
  });
  await client.query('LISTEN board_changes');
  return () => client.end();
}
