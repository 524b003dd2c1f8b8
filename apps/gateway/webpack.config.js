const { serviceWebpackConfig } = require('../../tools/webpack/service-config');

// The gateway owns no database schema: nothing to migrate.
module.exports = serviceWebpackConfig(__dirname, { migrations: false });
