/**
 * Loaded into the service's process (NODE_OPTIONS=--import) by audit-transaction.test.ts, through Sequelize's
 * public hooks only: the moment the audit event of a `case.create` request has been inserted in its request's
 * transaction — after the case's own statements, before COMMIT — the process is killed (SIGKILL: no handler,
 * no clean-up, as in a crash or an OOM kill).
 */
import sequelize from 'sequelize';

sequelize.Sequelize.addHook('afterInit', (instance) => {
  instance.addHook('afterBulkCreate', (rows, options) => {
    if (options.transaction && rows.some((row) => row.get('action') === 'case.create'))
      process.kill(process.pid, 'SIGKILL');
  });
});
