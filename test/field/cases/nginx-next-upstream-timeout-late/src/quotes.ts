import axios from 'axios';

export async function fetchQuote(symbol: string) {
  const response = await axios.get(`http://gateway.internal/api/quotes/${symbol}`, {
    timeout: 90_000,
  });
  return response.data;
}
