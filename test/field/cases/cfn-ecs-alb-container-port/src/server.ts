import express from "express";

const app = express();
app.get("/healthcheck/", (_req, res) => res.sendStatus(200));
app.get("/", (_req, res) => res.send("sign in"));

const port: number | string = process.env.PORT || 3000;
app.listen(port, () => {
  console.log(`Server listening on port ${port}`);
});
