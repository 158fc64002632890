const timeout = require('connect-timeout');

// Gives a route more (or less) time than the default before answering 503.
const timeoutMiddleware = (timeoutDuration = '30s') => {
  return [
    timeout(timeoutDuration),
    (req, res, next) => {
      if (!req.timedout) next();
    },
  ];
};

module.exports = timeoutMiddleware;
