import type { DescService } from '@bufbuild/protobuf';
import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type GrpcOptions, Transport } from '@nestjs/microservices';
import { HealthService } from '@shannon/contracts';
import { Logger } from 'nestjs-pino';
import { GrpcExceptionFilter } from './grpc-exception.filter';
import { grpcPackageDefinition, grpcPackageNames } from './grpc-package-definition';
import { TraceServerInterceptor } from './trace-propagation';

export interface GrpcServiceOptions {
  module: Type<unknown> | DynamicModule;
  /** The services this app implements; HealthService is always added. */
  services: DescService[];
  host: string;
  port: number;
}

export function grpcTransportOptions(services: DescService[], url: string): GrpcOptions {
  const all = [...services, HealthService];
  return {
    transport: Transport.GRPC,
    options: {
      url,
      package: grpcPackageNames(all),
      packageDefinition: grpcPackageDefinition(all),
      gracefulShutdown: true,
    },
  };
}

/** Starts a Nest gRPC microservice with pino logging, the error filter and shutdown hooks. */
export async function startGrpcService(options: GrpcServiceOptions): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice<GrpcOptions>(options.module, {
    ...grpcTransportOptions(options.services, `${options.host}:${options.port}`),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new GrpcExceptionFilter());
  app.useGlobalInterceptors(new TraceServerInterceptor());
  app.enableShutdownHooks();
  await app.listen();
  return app;
}
