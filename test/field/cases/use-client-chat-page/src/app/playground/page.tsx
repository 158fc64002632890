'use client';

import { useState } from 'react';

export default function PlaygroundPage() {
  const [answer, setAnswer] = useState('');
  const [question, setQuestion] = useState('');

  async function ask() {
    const response = await fetch('/api/playground/ask', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ question }),
    });
    setAnswer(await response.text());
  }

  return (
    <main>
      <textarea value={question} onChange={(e) => setQuestion(e.target.value)} />
      <button onClick={ask}>Ask</button>
      <pre>{answer}</pre>
    </main>
  );
}
