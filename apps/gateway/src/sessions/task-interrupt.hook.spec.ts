import { Code, ConnectError } from '@connectrpc/connect';
import { ERROR_CODE_METADATA_KEY } from '@shannon/grpc';
import type { InternalClients } from '../clients/internal-clients';
import { TaskInterruptHook } from './task-interrupt.hook';

describe(TaskInterruptHook.name, () => {
  const principal = { tenantId: 't1', userId: 'u1' };

  it('cancels every interrupted task on behalf of the caller and ignores one that already finished', async () => {
    const cancelTask = jest
      .fn()
      .mockResolvedValueOnce({})
      .mockRejectedValueOnce(new ConnectError('Task already completed', Code.FailedPrecondition, { [ERROR_CODE_METADATA_KEY]: 'FAILED_PRECONDITION' }));
    const sut = new TaskInterruptHook({ task: { cancelTask } } as unknown as InternalClients);

    await expect(sut.interrupt(principal, ['task_a', 'task_b'])).resolves.toBeUndefined();

    expect(cancelTask).toHaveBeenCalledTimes(2);
    expect(cancelTask).toHaveBeenCalledWith(
      { taskId: 'task_a', reason: 'Interrupted by a newer turn of its session' },
      { headers: expect.objectContaining({ 'x-shannon-tenant-id': 't1', 'x-shannon-user-id': 'u1', 'x-shannon-identity-signature': expect.any(String) }) },
    );
  });
});
