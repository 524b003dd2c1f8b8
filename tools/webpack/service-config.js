// The one webpack build every service uses: a Node bundle of src/main.ts in dist/apps/<name>, its
// own package.json (generatePackageJson), and the Prisma migrations beside it for services that
// own a schema. Each app's webpack.config.js only names what differs.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('path');

/**
 * @param {string} appDir the app's folder (its webpack.config.js's __dirname)
 * @param {{ migrations: boolean }} options whether prisma/migrations ships with the build
 */
function serviceWebpackConfig(appDir, { migrations }) {
  return {
    output: {
      path: join(__dirname, '../../dist/apps', basename(appDir)),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && {
        devtoolModuleFilenameTemplate: '[absolute-resource-path]',
      }),
    },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: migrations ? [{ input: './prisma/migrations', glob: '**/*', output: 'migrations' }] : [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
    ],
  };
}

module.exports = { serviceWebpackConfig };
