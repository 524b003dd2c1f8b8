/* eslint-disable @typescript-eslint/no-explicit-any -- grpc-js method definitions are untyped */
import { create, toBinary } from '@bufbuild/protobuf';
import { SubmitTaskRequestSchema, TaskService } from '@shannon/contracts';
import { grpcPackageDefinition, grpcPackageNames } from './grpc-package-definition';

describe(grpcPackageDefinition.name, () => {
  const sut = grpcPackageDefinition([TaskService]);
  const submit = (sut['shannon.task.v1.TaskService'] as Record<string, any>)['SubmitTask'];

  it('describes every method with its path and streaming flags', () => {
    expect(Object.keys(sut['shannon.task.v1.TaskService'])).toEqual(['SubmitTask', 'GetTask', 'ListTasks', 'CancelTask', 'PauseTask', 'ResumeTask', 'GetControlState', 'GetTenantUsage']);
    expect(submit.path).toBe('/shannon.task.v1.TaskService/SubmitTask');
    expect(submit.requestStream).toBe(false);
    expect(submit.responseStream).toBe(false);
  });

  it('serialises plain objects and messages to the same protobuf bytes', () => {
    const init = { query: 'What is the capital of France?', sessionId: 's1', maxIterations: 3 };
    const expected = Buffer.from(toBinary(SubmitTaskRequestSchema, create(SubmitTaskRequestSchema, init)));
    expect(submit.requestSerialize(init)).toEqual(expected);
    expect(submit.requestSerialize(create(SubmitTaskRequestSchema, init))).toEqual(expected);
    expect(submit.requestDeserialize(expected)).toMatchObject(init);
  });

  it('lists the proto packages for the Nest transport', () => {
    expect(grpcPackageNames([TaskService, TaskService])).toEqual(['shannon.task.v1']);
  });
});
