const express = require('express');
const timeoutMiddleware = require('../middleware/timeout');
const { importSpreadsheet, importStatus } = require('../services/imports');

const router = express.Router();

// Large spreadsheets take a while to parse and validate.
router.post('/', timeoutMiddleware('5m'), async (req, res, next) => {
  try {
    res.status(201).json(await importSpreadsheet(req.body));
  } catch (err) {
    next(err);
  }
});

router.get('/:id', timeoutMiddleware(), async (req, res) => {
  res.json(await importStatus(req.params.id));
});

module.exports = router;
