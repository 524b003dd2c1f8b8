import { create, type DescMessage, type DescService, fromBinary, isMessage, type MessageInitShape, type MessageShape, toBinary } from '@bufbuild/protobuf';
import type { loadPackageDefinition, MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

export type PackageDefinition = Parameters<typeof loadPackageDefinition>[0];

/**
 * Builds a grpc-js package definition from protobuf-es service descriptors, so Nest's gRPC
 * transport serves the generated types directly (no proto-loader at run time). Handlers receive
 * protobuf-es messages and may return either a message or its plain init object. See ADR 0001.
 */
export function grpcPackageDefinition(services: readonly DescService[]): PackageDefinition {
  const definition: PackageDefinition = {};
  for (const service of services) {
    definition[service.typeName] = serviceDefinition(service);
  }
  return definition;
}

function serviceDefinition(service: DescService): ServiceDefinition {
  const methods: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    methods[method.name] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: messageSerializer(method.input),
      requestDeserialize: messageDeserializer(method.input),
      responseSerialize: messageSerializer(method.output),
      responseDeserialize: messageDeserializer(method.output),
    } satisfies MethodDefinition<unknown, unknown>;
  }
  return methods;
}

/** A message (or its init object) of `schema` as gRPC sends it; servers and clients (GrpcJsTransport) use it. */
export function messageSerializer<Desc extends DescMessage>(schema: Desc) {
  return (value: unknown): Buffer => {
    const message = isMessage(value, schema) ? value : create(schema, value as MessageInitShape<Desc>);
    return Buffer.from(toBinary(schema, message));
  };
}

/** A message of `schema` from the bytes gRPC received. */
export function messageDeserializer<Desc extends DescMessage>(schema: Desc) {
  return (bytes: Buffer): MessageShape<Desc> => fromBinary(schema, bytes);
}

/** The proto packages a set of services lives in, for Nest's `package` option. */
export function grpcPackageNames(services: readonly DescService[]): string[] {
  return [...new Set(services.map((s) => s.file.proto.package))];
}
