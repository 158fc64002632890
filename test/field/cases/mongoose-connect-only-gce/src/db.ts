import mongoose from 'mongoose';

export async function connectDb() {
  await mongoose.connect(process.env.MONGO_URL ?? 'mongodb://mongo:27017/archive', {
    connectTimeoutMS: 1000,
  });
}
