// The one call of a floor hop: bytes in, bytes out (no protobuf, no framework on either side).
const bytes = (value) => value;

export const HOP_SERVICE = {
  insert: {
    path: '/bench.floor.Hop/Insert',
    requestStream: false,
    responseStream: false,
    requestSerialize: bytes,
    requestDeserialize: bytes,
    responseSerialize: bytes,
    responseDeserialize: bytes,
  },
};
