import axios from 'axios';

const INFERENCE = 'http://inference.internal/v1/completions';

export async function classify(ticket: string): Promise<string> {
  const { data } = await axios.post(INFERENCE, { model: 'triage-small', prompt: ticket, max_tokens: 8 }, { timeout: 75_000 });
  return data.choices[0].text.trim();
}
