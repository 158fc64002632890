// One place to swap the fetch implementation.
export { default } from 'node-fetch';
