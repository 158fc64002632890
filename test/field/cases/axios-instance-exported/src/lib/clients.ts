import axios from 'axios';

export const billing = axios.create({
  baseURL: process.env.BILLING_URL,
  headers: { Authorization: `Bearer ${process.env.BILLING_TOKEN}` },
});

export const crm = axios.create({
  baseURL: process.env.CRM_URL,
  timeout: 8000,
});
