import express from 'express';
import mongoose from 'mongoose';
import { connectDb } from './db';

const Dataset = mongoose.model('Dataset', new mongoose.Schema({ name: String, files: [String] }));
const app = express();

app.get('/api/datasets', async (_req, res) => {
  res.json(await Dataset.find().limit(100));
});

connectDb().then(() => app.listen(8111));
